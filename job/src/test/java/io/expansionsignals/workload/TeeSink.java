package io.expansionsignals.workload;

import io.expansionsignals.schema.EngagementEvent;
import io.expansionsignals.schema.SubscriptionEvent;
import io.expansionsignals.schema.UsageEvent;

/** Sends everything to two sinks, to compare what one of them did with what was sent. */
final class TeeSink implements WorkloadSink {
    private final WorkloadSink a;
    private final WorkloadSink b;

    TeeSink(WorkloadSink a, WorkloadSink b) {
        this.a = a;
        this.b = b;
    }

    @Override
    public void subscription(SubscriptionEvent e) {
        a.subscription(e);
        b.subscription(e);
    }

    @Override
    public void usage(UsageEvent e) {
        a.usage(e);
        b.usage(e);
    }

    @Override
    public void engagement(EngagementEvent e) {
        a.engagement(e);
        b.engagement(e);
    }

    @Override
    public void raw(String topicKind, String key, byte[] value, MalformedKind kind) {
        a.raw(topicKind, key, value, kind);
        b.raw(topicKind, key, value, kind);
    }
}
