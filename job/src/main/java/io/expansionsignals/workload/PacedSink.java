package io.expansionsignals.workload;

import io.expansionsignals.schema.EngagementEvent;
import io.expansionsignals.schema.SubscriptionEvent;
import io.expansionsignals.schema.UsageEvent;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Holds records back to a target rate (records a second) and stops the generator between two
 * records when asked to, so Ctrl-C or a launcher's stop() takes effect within one record.
 */
final class PacedSink implements WorkloadSink {
    /** Thrown out of the generator's tick when the run was stopped. */
    static final class Stopped extends RuntimeException {
        Stopped() {
            super("workload stopped", null, false, false);
        }
    }

    /** Falling further behind than this is not made up with a burst. */
    private static final long MAX_CATCH_UP_NANOS = 1_000_000_000L;

    private final WorkloadSink delegate;
    private final long intervalNanos;
    private final BooleanSupplier stopped;
    private long nextAt = System.nanoTime();

    /** @param ratePerSecond 0 = as fast as possible */
    PacedSink(WorkloadSink delegate, double ratePerSecond, BooleanSupplier stopped) {
        this.delegate = delegate;
        this.intervalNanos = ratePerSecond <= 0 ? 0 : (long) (1e9 / ratePerSecond);
        this.stopped = stopped;
    }

    @Override
    public void subscription(SubscriptionEvent e) {
        pace();
        delegate.subscription(e);
    }

    @Override
    public void usage(UsageEvent e) {
        pace();
        delegate.usage(e);
    }

    @Override
    public void engagement(EngagementEvent e) {
        pace();
        delegate.engagement(e);
    }

    @Override
    public void raw(String topicKind, String key, byte[] value, MalformedKind kind) {
        pace();
        delegate.raw(topicKind, key, value, kind);
    }

    private void pace() {
        if (stopped.getAsBoolean()) {
            throw new Stopped();
        }
        if (intervalNanos == 0) {
            return;
        }
        long now = System.nanoTime();
        nextAt = Math.max(nextAt + intervalNanos, now - MAX_CATCH_UP_NANOS);
        while (now < nextAt) {
            if (stopped.getAsBoolean()) {
                throw new Stopped();
            }
            LockSupport.parkNanos(Math.min(nextAt - now, 100_000_000L));
            now = System.nanoTime();
        }
    }
}
