package io.expansionsignals.workload;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Drives a generator: runs steps as fast as the rate allows while simulated time is behind the
 * clock, then one step whenever the clock has moved a step further. Runnable on any thread;
 * {@link #start} runs it on a daemon thread and {@link #close} stops it and closes the sink.
 */
public final class WorkloadRunner implements Runnable, AutoCloseable {
    private final WorkloadGenerator generator;
    private final CountingSink counts;
    private final WorkloadSink paced;
    private final long maxSteps;
    private final Clock clock;
    private final AutoCloseable resource;
    private final Consumer<String> progressOut;
    private final Duration progressInterval;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean stopped;
    private volatile Throwable failure;
    private volatile Thread thread;
    private boolean closed;

    /**
     * @param clock the generator's bound clock, used to wait for the next step once caught up
     * @param resource closed by {@link #close} after the run ended (e.g. the Kafka sink); may be null
     * @param progressOut receives a progress line every {@code progressInterval}
     */
    public WorkloadRunner(WorkloadGenerator generator, WorkloadSink sink, double ratePerSecond, long maxSteps,
                          Clock clock, AutoCloseable resource, Consumer<String> progressOut, Duration progressInterval) {
        this.generator = generator;
        this.counts = new CountingSink(sink);
        this.paced = new PacedSink(counts, ratePerSecond, () -> stopped);
        this.maxSteps = maxSteps;
        this.clock = clock;
        this.resource = resource;
        this.progressOut = progressOut;
        this.progressInterval = progressInterval;
    }

    /** Starts {@code runner} on a daemon thread named "workload-generator" and returns it. */
    public static WorkloadRunner start(WorkloadRunner runner) {
        Thread t = new Thread(runner, "workload-generator");
        t.setDaemon(true);
        runner.thread = t;
        t.start();
        return runner;
    }

    @Override
    public void run() {
        long nextProgress = System.nanoTime() + progressInterval.toNanos();
        try {
            while (!stopped && generator.stepsRun() < maxSteps) {
                if (!generator.tick(paced)) {
                    waitFor(generator.nextStepEnd()); // caught up with the clock
                }
                if (!progressInterval.isZero() && System.nanoTime() >= nextProgress) {
                    progressOut.accept(progressLine());
                    nextProgress = System.nanoTime() + progressInterval.toNanos();
                }
            }
        } catch (PacedSink.Stopped expected) {
            // stop() was called in the middle of a step
        } catch (RuntimeException | Error e) {
            failure = e;
            progressOut.accept("workload generator failed: " + e);
        } finally {
            finished.countDown();
        }
    }

    /** Asks the run to end after the current record; returns at once. */
    public void stop() {
        stopped = true;
    }

    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The exception that ended the run, or null. */
    public Throwable failure() {
        return failure;
    }

    public CountingSink counts() {
        return counts;
    }

    public WorkloadGenerator generator() {
        return generator;
    }

    /** e.g. "workload: 12034 records (subscription 410, usage 7001, engagement 4600, raw 23), simulated 2025-03-04T06:00Z, step 250". */
    public String progressLine() {
        return "workload: " + counts.total() + " records (subscription " + counts.subscriptions()
                + ", usage " + counts.usage() + ", engagement " + counts.engagement() + ", raw " + counts.raw()
                + "), simulated " + generator.simulatedNow().truncatedTo(ChronoUnit.MINUTES)
                + ", step " + generator.stepsRun();
    }

    /** Stops the run, waits for it (up to 30 s) and closes the resource. */
    @Override
    public synchronized void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        stop();
        if (thread != null) {
            awaitTermination(Duration.ofSeconds(30));
        }
        if (resource != null) {
            resource.close();
        }
    }

    private void waitFor(Instant due) {
        while (!stopped && clock.instant().isBefore(due)) {
            try {
                long ms = Math.min(200, Duration.between(clock.instant(), due).toMillis());
                Thread.sleep(Math.max(1, ms));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopped = true;
            }
        }
    }
}
