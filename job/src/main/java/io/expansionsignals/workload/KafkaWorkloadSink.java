package io.expansionsignals.workload;

import io.expansionsignals.io.registry.ConfluentAvroSerializer;
import io.expansionsignals.io.registry.ConfluentWireFormat;
import io.expansionsignals.io.registry.RegistrySettings;
import io.expansionsignals.schema.EngagementEvent;
import io.expansionsignals.schema.SubscriptionEvent;
import io.expansionsignals.schema.UsageEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Produces the workload to Kafka in the Confluent wire format, key = accountId, registering the
 * writer schemas on first use. The idempotent producer keeps the broker from adding duplicates
 * of its own; the workload's duplicates are deliberate and carry the same eventId. Not
 * thread-safe: one generator thread writes to it.
 */
public final class KafkaWorkloadSink implements WorkloadSink, AutoCloseable {
    private final Producer<byte[], byte[]> producer;
    private final WorkloadTopics topics;
    private final ConfluentAvroSerializer<SubscriptionEvent> subscriptions;
    private final ConfluentAvroSerializer<UsageEvent> usage;
    private final ConfluentAvroSerializer<EngagementEvent> engagement;
    /** The first asynchronous send failure, rethrown on the next call so nothing fails silently. */
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    public KafkaWorkloadSink(String bootstrapServers, RegistrySettings registry, WorkloadTopics topics) {
        this(new KafkaProducer<>(producerProperties(bootstrapServers, Map.of())), registry, topics);
    }

    /** For tests and callers that bring their own producer. */
    public KafkaWorkloadSink(Producer<byte[], byte[]> producer, RegistrySettings registry, WorkloadTopics topics) {
        this.producer = producer;
        this.topics = topics;
        RegistrySettings autoRegister = registry.withAutoRegister(true);
        this.subscriptions = new ConfluentAvroSerializer<>(SubscriptionEvent.class, topics.subscription(), autoRegister);
        this.usage = new ConfluentAvroSerializer<>(UsageEvent.class, topics.usage(), autoRegister);
        this.engagement = new ConfluentAvroSerializer<>(EngagementEvent.class, topics.engagement(), autoRegister);
    }

    /**
     * The partition the producer's default partitioner gives a record with this key (an input record's
     * key is its account id in UTF-8) on a topic of {@code partitions} partitions.
     */
    public static int partitionOf(byte[] key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key)) % partitions;
    }

    /** acks=all + idempotence: no loss and no broker-side duplicates; lz4 and 5 ms linger for throughput. */
    public static Properties producerProperties(String bootstrapServers, Map<String, String> overrides) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "expansion-signals-workload");
        p.putAll(overrides);
        return p;
    }

    @Override
    public void subscription(SubscriptionEvent e) {
        send(topics.subscription(), e.getAccountId(), subscriptions.serialize(e));
    }

    @Override
    public void usage(UsageEvent e) {
        send(topics.usage(), e.getAccountId(), usage.serialize(e));
    }

    @Override
    public void engagement(EngagementEvent e) {
        send(topics.engagement(), e.getAccountId(), engagement.serialize(e));
    }

    @Override
    public void raw(String topicKind, String key, byte[] value, MalformedKind kind) {
        byte[] bytes = value;
        if (kind == MalformedKind.TRUNCATED_AVRO) {
            // The generator cannot know the registry id; with the real one the job must fail on
            // the missing bytes (UNDECODABLE), not on an unknown id.
            bytes = value.clone();
            ConfluentWireFormat.writeHeader(bytes, 0, schemaId(topicKind));
        }
        send(topics.forKind(topicKind), key, bytes);
    }

    public void flush() {
        producer.flush();
        rethrow();
    }

    @Override
    public void close() {
        try {
            producer.flush();
        } finally {
            producer.close(Duration.ofSeconds(10));
        }
        rethrow();
    }

    private int schemaId(String topicKind) {
        return switch (topicKind) {
            case "subscription" -> subscriptions.schemaId();
            case "usage" -> usage.schemaId();
            case "engagement" -> engagement.schemaId();
            default -> throw new IllegalArgumentException("unknown topic kind: " + topicKind);
        };
    }

    private void send(String topic, String key, byte[] value) {
        rethrow();
        producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value), (meta, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            }
        });
    }

    private void rethrow() {
        Exception e = failure.get();
        if (e != null) {
            throw new IllegalStateException("producing the workload to Kafka failed: " + e.getMessage(), e);
        }
    }
}
