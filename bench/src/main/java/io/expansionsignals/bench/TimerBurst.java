package io.expansionsignals.bench;

import io.expansionsignals.workload.KafkaWorkloadSink;
import io.expansionsignals.workload.WorkloadGenerator;
import io.expansionsignals.workload.WorkloadSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Timers that fall due together, fired at once. The catch-up rows span days of event time and fire
 * almost no timer; a job running for months fires each account's tenure milestones (day 30, 90,
 * 180), and accounts that signed up together (a migration, a bulk import, the benchmark's onboarding)
 * have theirs fall due together. Here the pre-loaded input is followed by a tail of a few records
 * {@code gap} later in event time on every input partition; once the job has read it, its watermark
 * jumps and every timer due meanwhile fires in one go, on the keyed task's thread, with checkpoints
 * waiting behind it. Measured for the product (RocksDB + exactly-once, the timers in RocksDB) and for
 * {@link TimerFloorJob}, the same shape with three chained timers per account and nothing else:
 * timers fired per second, the outputs they wrote, and the longest checkpoint meanwhile.
 *
 * <p>The pre-loaded inputs hold the accounts their records reach (7-72 k), so their bursts last about a
 * second, less than the checkpoint interval. A cohort ({@code --cohort-burst}: every account signed up
 * within an hour) makes one burst per million accounts, long enough to show what a checkpoint does
 * meanwhile: with aligned barriers it waits for the whole burst; on Flink's interruptible timers
 * ({@link #INTERRUPTIBLE_TIMERS}, measured beside it) checkpoints complete while the burst runs.
 */
final class TimerBurst {
    static final String PRODUCT = "product RocksDB + exactly-once";
    static final String PRODUCT_INTERRUPTIBLE = "product, interruptible timers";
    /**
     * Flink fires a watermark's timers in mailbox steps, taking checkpoint barriers and records between
     * them, with unaligned checkpoints and this option (both off in Flink's defaults and the other rows;
     * deploy/k8s turns them on with checkpoints that start aligned, which -Dbench.flink.* can add here).
     */
    static final Map<String, String> INTERRUPTIBLE_TIMERS = Map.of(
            "execution.checkpointing.unaligned.enabled", "true",
            "execution.checkpointing.unaligned.interruptible-timers.enabled", "true");
    static final String FLOOR = "framework floor with timers";
    /** The burst is over once no timer has fired for this long. */
    private static final Duration QUIET = Duration.ofSeconds(5);
    private static final Duration TIMEOUT = Duration.ofMinutes(20);
    private static final long TAIL_SEED = 4242;

    /** How many times each job's burst runs per account count: a burst lasts a second or less here, so one is noisy. */
    static final int ROUNDS = 3;

    /**
     * One burst, in round {@code round}: {@code timers} fired between the first and the last seen
     * (polled every 10 ms) over {@code seconds}; {@code outputs} written meanwhile; the longest
     * checkpoint completed from the burst's first timer to two checkpoints after its last, and how many
     * completed while it lasted.
     */
    record Result(String variant, int accounts, int round, long timers, double seconds, long outputs,
            long longestCheckpointMs, long checkpointsDuring) {
        double timersPerSecond() {
            return seconds > 0 ? timers / seconds : 0;
        }
    }

    private TimerBurst() {}

    /**
     * Appends, on every partition of each input topic, one record of a small second population whose
     * events begin {@code gap} after the input's end; returns how many. Its account ids are the
     * generator's first 64, so the tail's few records go to accounts the input already has: valid
     * events, which move event time (a dead letter would not).
     */
    static int appendTail(Infra infra, Preloader.Loaded in, Duration gap) {
        WorkloadSpec spec = WorkloadSpec.defaults(in.end()).withSeed(TAIL_SEED).withAccounts(64)
                .withStart(in.end().plus(gap)).withDuplicateShare(0).withOutOfOrderShare(0).withMalformedShare(0);
        WorkloadGenerator generator = new WorkloadGenerator(spec);
        CapturedWorkload captured = new CapturedWorkload(in.topics(), infra.registry());
        Map<String, CapturedWorkload.Entry> first = new LinkedHashMap<>(); // "topic/partition" -> its record
        int wanted = 3 * Infra.PARTITIONS;
        for (int step = 0; step < 400 && first.size() < wanted; step++) {
            if (!generator.tick(captured)) {
                break; // the simulated time reached now
            }
            for (CapturedWorkload.Entry e : captured.entries) {
                first.putIfAbsent(e.topic() + "/" + KafkaWorkloadSink.partitionOf(e.key(), Infra.PARTITIONS), e);
            }
            captured.entries.clear();
        }
        if (first.size() < wanted) {
            throw new IllegalStateException("the tail's population covered " + first.size() + " of " + wanted
                    + " input partitions");
        }
        var props = KafkaWorkloadSink.producerProperties(infra.bootstrap(), Map.of());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            for (CapturedWorkload.Entry e : first.values()) {
                int partition = KafkaWorkloadSink.partitionOf(e.key(), Infra.PARTITIONS);
                producer.send(new ProducerRecord<>(e.topic(), partition, e.key(), e.value()));
            }
            producer.flush();
        }
        return first.size();
    }

    /** The product over the input and its tail; with {@code interruptible}, on Flink's interruptible timers. */
    static Result product(Infra infra, Preloader.Loaded in, long records, Path work, int round, boolean interruptible)
            throws Exception {
        String prefix = infra.nextRunPrefix();
        ProductJob.Variant v = ProductJob.Variant.ROCKSDB_EO;
        var env = ProductJob.build(infra, ProductJob.config(infra, in.topics(), prefix, "earliest"), v, prefix,
                work.resolve(prefix), interruptible ? INTERRUPTIBLE_TIMERS : Map.of());
        return measure(interruptible ? PRODUCT_INTERRUPTIBLE : PRODUCT, in.accounts(), round, env, "timer-burst",
                ProductJob::processed, records,
                () -> CaptureReporter.counterBySubtask(ProductJob.ENGINE_OPERATOR, "numRecordsIn"),
                // steps of timer work, each a timer in the floor: since change 58 a firing does the
                // account's later due steps itself, so the product fires fewer timers than it has steps
                () -> CaptureReporter.counterBySubtask(ProductJob.ENGINE_OPERATOR, "timers_due", "timers_caught_up",
                        "timers_left_over"),
                ProductJob::outputsWritten);
    }

    /** The timer floor over the input and its tail. */
    static Result floor(Infra infra, Preloader.Loaded in, long records, Path work, int round) throws Exception {
        String prefix = infra.nextRunPrefix();
        var env = TimerFloorJob.build(infra, in.topics(), prefix, work.resolve(prefix));
        return measure(FLOOR, in.accounts(), round, env, "timer-floor",
                () -> CaptureReporter.counterSum("numRecordsIn", TimerFloorJob.TIMER_OPERATOR), records,
                () -> CaptureReporter.counterBySubtask(TimerFloorJob.TIMER_OPERATOR, "numRecordsIn"),
                () -> CaptureReporter.counterBySubtask(TimerFloorJob.TIMER_OPERATOR, TimerFloorJob.FIRED),
                () -> CaptureReporter.counterSum("numRecordsIn", "floor sink: Writer"));
    }

    /**
     * @param processed records the job has processed in all, {@code records} once the input and tail are
     * @param takenIn records each keyed subtask has taken in
     * @param timers timers each keyed subtask has fired
     */
    private static Result measure(String variant, int accounts, int round, StreamExecutionEnvironment env, String jobName,
            LongSupplier processed, long records, Supplier<long[]> takenIn, Supplier<long[]> timers,
            LongSupplier outputs) throws Exception {
        JobClient job = FlinkRun.start(env, jobName);
        try {
            // Traced from the start: one subtask may fire its share of the burst while the other
            // still works through the main input (BurstTrace tells the shares apart afterwards).
            Watch watch = new Watch(job, () -> new BurstTrace.Poll(System.nanoTime(), takenIn.get(), timers.get(),
                    outputs.getAsLong(), CaptureReporter.jobGauge("numberOfCompletedCheckpoints"),
                    CaptureReporter.jobGauge("lastCheckpointDuration")));
            watch.until(() -> processed.getAsLong() >= records,
                    () -> variant + " processed " + processed.getAsLong() + " of " + records + " records");
            // the subtask that took in its last record last begins its share only now
            long before = watch.trace.timersNow();
            watch.until(() -> watch.trace.timersNow() > before,
                    () -> variant + ": no timer fired after the tail (has the watermark passed it?)");
            long[] last = {watch.trace.timersNow(), System.nanoTime()}; // the count, and when it last changed
            watch.until(() -> {
                long now = watch.trace.timersNow();
                if (now != last[0]) {
                    last[0] = now;
                    last[1] = System.nanoTime();
                }
                return System.nanoTime() - last[1] >= QUIET.toNanos();
            }, () -> variant + " firing timers");
            long completed = CaptureReporter.jobGauge("numberOfCompletedCheckpoints");
            watch.until(() -> CaptureReporter.jobGauge("numberOfCompletedCheckpoints") >= completed + 2,
                    () -> variant + ": two checkpoints after the burst");
            BurstTrace.Burst burst = watch.trace.burst();
            Result r = new Result(variant, accounts, round, burst.timers(),
                    Math.max(0.01, (burst.endNanos() - burst.startNanos()) / 1e9), burst.outputs(), burst.longestCheckpointMs(),
                    burst.checkpointsDuring());
            Benchmark.log("  %-42s %,10d timers in %.1f s: %,.0f timers/s, %,d outputs, longest checkpoint %,d ms,"
                    + " %d completed during the burst", variant, r.timers(), r.seconds(), r.timersPerSecond(), r.outputs(),
                    r.longestCheckpointMs(), r.checkpointsDuring());
            return r;
        } finally {
            try {
                job.cancel().get();
            } catch (Exception alreadyDone) {
                // a failed job is already reported by Watch.until
            }
        }
    }

    /** Polls a running job every 10 ms into a {@link BurstTrace}, within the measurement's one deadline. */
    private static final class Watch {
        private final JobClient job;
        private final Supplier<BurstTrace.Poll> poll;
        private final long deadline = System.nanoTime() + TIMEOUT.toNanos();
        final BurstTrace trace = new BurstTrace();

        Watch(JobClient job, Supplier<BurstTrace.Poll> poll) {
            this.job = job;
            this.poll = poll;
        }

        /** {@link FlinkRun#await} within what is left of the measurement's one deadline, tracing every poll. */
        void until(BooleanSupplier done, Supplier<String> what) throws Exception {
            FlinkRun.await(job, Duration.ofNanos(deadline - System.nanoTime()), () -> {
                trace.add(poll.get());
                return done.getAsBoolean();
            }, what);
        }
    }

    /**
     * The bursts as a markdown table, one line per account count and job over its rounds: medians of
     * the timers fired, the seconds and the rate, each round's rate, the product's ratio to the timer
     * floor as the median of the rounds' (each against its own round's floor), outputs per timer over
     * all rounds, and the longest checkpoint of any round.
     */
    static String markdown(List<Result> results, Duration gap) {
        return markdown(results, String.format(Locale.ROOT, "Timer burst: event time jumps %d days after the input, every"
                + " timer due meanwhile fires at once (medians of the rounds)", gap.toDays()));
    }

    /** The cohort's bursts ({@link Preloader#loadCohort}) under their own heading. */
    static String cohortMarkdown(List<Result> results, Duration window, Duration read, Duration gap) {
        return markdown(results, String.format(Locale.ROOT, "Cohort burst: accounts that all signed up within %s,"
                + " event time jumps %d days after their first %d hours, every timer due meanwhile fires at once (medians"
                + " of the rounds)", window.toString().substring(2).toLowerCase(Locale.ROOT), gap.toDays(), read.toHours()));
    }

    private static String markdown(List<Result> results, String heading) {
        if (results.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%n%s%n%n", heading));
        b.append("| accounts | job | timers fired | seconds | timers/s | timers/s by round | vs floor, median of rounds "
                + "| outputs per timer | longest checkpoint ms | checkpoints during the burst |\n");
        b.append("|---:|---|---:|---:|---:|---|---:|---:|---:|---:|\n");
        Map<String, List<Result>> byJob = new LinkedHashMap<>();
        for (Result r : results) {
            byJob.computeIfAbsent(r.accounts() + "|" + r.variant(), k -> new ArrayList<>()).add(r);
        }
        for (List<Result> rounds : byJob.values()) {
            Result first = rounds.get(0);
            long timers = rounds.stream().mapToLong(Result::timers).sum();
            long outputs = rounds.stream().mapToLong(Result::outputs).sum();
            OptionalDouble ratio = medianVsFloor(results, first.accounts(), first.variant());
            b.append(String.format(Locale.ROOT, "| %,d | %s | %,.0f | %.1f | %,.0f | %s | %s | %.2f | %,d | %.0f |%n",
                    first.accounts(), first.variant(), median(rounds, r -> r.timers()), median(rounds, Result::seconds),
                    median(rounds, Result::timersPerSecond),
                    String.join(" / ", rounds.stream().map(r -> String.format(Locale.ROOT, "%,.0f", r.timersPerSecond())).toList()),
                    ratio.isPresent() ? String.format(Locale.ROOT, "%.2f", ratio.getAsDouble()) : "–",
                    timers == 0 ? 0.0 : (double) outputs / timers,
                    rounds.stream().mapToLong(Result::longestCheckpointMs).max().orElse(0),
                    median(rounds, r -> r.checkpointsDuring())));
        }
        return b.toString();
    }

    /** The bursts as CSV, one line per round, with that round's ratio to its floor (-1 for the floor or without one). */
    static String csv(List<Result> results) {
        StringBuilder b = new StringBuilder(
                "accounts,job,round,timers,seconds,timers_per_s,vs_floor,outputs,longest_checkpoint_ms,checkpoints_during\n");
        for (Result r : results) {
            OptionalDouble ratio = vsFloor(results, r);
            b.append(String.format(Locale.ROOT, "%d,\"%s\",%d,%d,%.3f,%.0f,%.3f,%d,%d,%d%n", r.accounts(), r.variant(),
                    r.round(), r.timers(), r.seconds(), r.timersPerSecond(), ratio.orElse(-1), r.outputs(),
                    r.longestCheckpointMs(), r.checkpointsDuring()));
        }
        return b.toString();
    }

    /** The median over the rounds of {@code variant}'s ratio to its round's floor at {@code accounts}; empty for the floor. */
    static OptionalDouble medianVsFloor(List<Result> results, int accounts, String variant) {
        return Rounds.median(results.stream().filter(r -> r.accounts() == accounts && r.variant().equals(variant))
                .map(r -> vsFloor(results, r)).filter(OptionalDouble::isPresent).mapToDouble(OptionalDouble::getAsDouble)
                .toArray());
    }

    /** {@code r}'s timers per second against the floor's of the same round and account count; empty for the floor or without one. */
    static OptionalDouble vsFloor(List<Result> results, Result r) {
        if (r.variant().equals(FLOOR)) {
            return OptionalDouble.empty();
        }
        return results.stream().filter(f -> f.variant().equals(FLOOR) && f.accounts() == r.accounts()
                        && f.round() == r.round() && f.timersPerSecond() > 0)
                .mapToDouble(f -> r.timersPerSecond() / f.timersPerSecond()).findFirst();
    }

    private static double median(List<Result> rounds, java.util.function.ToDoubleFunction<Result> value) {
        return Rounds.median(rounds.stream().mapToDouble(value).toArray()).orElse(0);
    }
}
