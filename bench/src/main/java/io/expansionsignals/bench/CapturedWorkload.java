package io.expansionsignals.bench;

import io.expansionsignals.io.registry.ConfluentAvroSerializer;
import io.expansionsignals.io.registry.RegistrySettings;
import io.expansionsignals.schema.EngagementEvent;
import io.expansionsignals.schema.SubscriptionEvent;
import io.expansionsignals.schema.UsageEvent;
import io.expansionsignals.workload.MalformedKind;
import io.expansionsignals.workload.WorkloadSink;
import io.expansionsignals.workload.WorkloadTopics;
import java.nio.charset.StandardCharsets;
import io.expansionsignals.schema.SubscriptionEventType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;

/**
 * Generated records held in memory, already in the Confluent wire format, so the latency run
 * can send them at a fixed rate without the generator's own pace getting in the way. Undecodable
 * records are left out: they cause no signal and only dilute the rate.
 */
final class CapturedWorkload implements WorkloadSink {
    record Entry(String topic, byte[] key, byte[] value, String eventId) {}

    private final WorkloadTopics topics;
    private final ConfluentAvroSerializer<SubscriptionEvent> subscriptions;
    private final ConfluentAvroSerializer<UsageEvent> usage;
    private final ConfluentAvroSerializer<EngagementEvent> engagement;
    final List<Entry> entries = new ArrayList<>();
    /**
     * Event ids of cancellations scheduled for a later time: the movement they cause comes from a
     * timer when event time reaches the effective time, not from their arrival.
     */
    final Set<String> deferredCancellations = new HashSet<>();

    CapturedWorkload(WorkloadTopics topics, RegistrySettings registry) {
        this.topics = topics;
        this.subscriptions = new ConfluentAvroSerializer<>(SubscriptionEvent.class, topics.subscription(), registry);
        this.usage = new ConfluentAvroSerializer<>(UsageEvent.class, topics.usage(), registry);
        this.engagement = new ConfluentAvroSerializer<>(EngagementEvent.class, topics.engagement(), registry);
    }

    @Override
    public void subscription(SubscriptionEvent e) {
        if (e.getType() == SubscriptionEventType.CANCELLATION_SCHEDULED && e.getEffectiveAt() != null
                && e.getEffectiveAt().isAfter(e.getOccurredAt())) {
            deferredCancellations.add(e.getEventId());
        }
        entries.add(new Entry(topics.subscription(), key(e.getAccountId()), subscriptions.serialize(e), e.getEventId()));
    }

    @Override
    public void usage(UsageEvent e) {
        entries.add(new Entry(topics.usage(), key(e.getAccountId()), usage.serialize(e), e.getEventId()));
    }

    @Override
    public void engagement(EngagementEvent e) {
        entries.add(new Entry(topics.engagement(), key(e.getAccountId()), engagement.serialize(e), e.getEventId()));
    }

    @Override
    public void raw(String topicKind, String key, byte[] value, MalformedKind kind) {}

    private static byte[] key(String accountId) {
        return accountId.getBytes(StandardCharsets.UTF_8);
    }
}
