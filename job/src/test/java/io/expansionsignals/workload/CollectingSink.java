package io.expansionsignals.workload;

import io.expansionsignals.schema.EngagementEvent;
import io.expansionsignals.schema.SubscriptionEvent;
import io.expansionsignals.schema.UsageEvent;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/** Keeps everything the generator sends, in order. */
final class CollectingSink implements WorkloadSink {
    record Raw(String topicKind, String key, byte[] value, MalformedKind kind) {}

    final List<SpecificRecord> all = new ArrayList<>();
    final List<SubscriptionEvent> subscriptions = new ArrayList<>();
    final List<UsageEvent> usage = new ArrayList<>();
    final List<EngagementEvent> engagement = new ArrayList<>();
    final List<Raw> raw = new ArrayList<>();

    @Override
    public void subscription(SubscriptionEvent e) {
        subscriptions.add(e);
        all.add(e);
    }

    @Override
    public void usage(UsageEvent e) {
        usage.add(e);
        all.add(e);
    }

    @Override
    public void engagement(EngagementEvent e) {
        engagement.add(e);
        all.add(e);
    }

    @Override
    public void raw(String topicKind, String key, byte[] value, MalformedKind kind) {
        raw.add(new Raw(topicKind, key, value, kind));
    }

    int records() {
        return all.size() + raw.size();
    }
}
