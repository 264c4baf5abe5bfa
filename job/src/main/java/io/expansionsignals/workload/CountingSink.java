package io.expansionsignals.workload;

import io.expansionsignals.schema.EngagementEvent;
import io.expansionsignals.schema.SubscriptionEvent;
import io.expansionsignals.schema.UsageEvent;
import java.util.concurrent.atomic.AtomicLong;

/** Counts what passes through per topic, for progress lines; readable from another thread. */
public final class CountingSink implements WorkloadSink {
    private final WorkloadSink delegate;
    private final AtomicLong subscriptions = new AtomicLong();
    private final AtomicLong usage = new AtomicLong();
    private final AtomicLong engagement = new AtomicLong();
    private final AtomicLong malformedRaw = new AtomicLong();

    public CountingSink(WorkloadSink delegate) {
        this.delegate = delegate;
    }

    @Override
    public void subscription(SubscriptionEvent e) {
        delegate.subscription(e);
        subscriptions.incrementAndGet();
    }

    @Override
    public void usage(UsageEvent e) {
        delegate.usage(e);
        usage.incrementAndGet();
    }

    @Override
    public void engagement(EngagementEvent e) {
        delegate.engagement(e);
        engagement.incrementAndGet();
    }

    @Override
    public void raw(String topicKind, String key, byte[] value, MalformedKind kind) {
        delegate.raw(topicKind, key, value, kind);
        malformedRaw.incrementAndGet();
    }

    public long subscriptions() {
        return subscriptions.get();
    }

    public long usage() {
        return usage.get();
    }

    public long engagement() {
        return engagement.get();
    }

    public long raw() {
        return malformedRaw.get();
    }

    public long total() {
        return subscriptions() + usage() + engagement() + raw();
    }
}
