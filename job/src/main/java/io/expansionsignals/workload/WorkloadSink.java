package io.expansionsignals.workload;

import io.expansionsignals.schema.EngagementEvent;
import io.expansionsignals.schema.SubscriptionEvent;
import io.expansionsignals.schema.UsageEvent;

/**
 * Where generated records go: a Kafka producer in the CLI, a list in tests. Decodable records
 * (valid ones and the invalid-but-decodable malformed kinds) arrive typed; records that cannot
 * be decoded at all arrive as bytes through {@link #raw}.
 */
public interface WorkloadSink {
    void subscription(SubscriptionEvent e);

    void usage(UsageEvent e);

    void engagement(EngagementEvent e);

    /**
     * An undecodable record for one input topic.
     *
     * @param topicKind "subscription", "usage" or "engagement"
     * @param key the accountId as UTF-8
     * @param value the broken value bytes
     * @param kind how it is broken
     */
    void raw(String topicKind, String key, byte[] value, MalformedKind kind);
}
