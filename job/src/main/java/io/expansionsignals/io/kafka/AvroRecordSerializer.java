package io.expansionsignals.io.kafka;

import io.expansionsignals.io.registry.ConfluentAvroSerializer;
import io.expansionsignals.io.registry.RegistrySettings;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetIdentifier;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacetProvider;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes an output record as Confluent-wire-format Avro, keyed by the bytes the key function picks.
 * Names its topic to the sink ({@link KafkaDatasetFacetProvider}): Flink's lineage reports it, and
 * the pooled transaction naming needs it to find the sink's open transactions after a restart.
 */
public class AvroRecordSerializer<T extends SpecificRecord> implements KafkaRecordSerializationSchema<T>,
        KafkaDatasetFacetProvider {
    private static final long serialVersionUID = 1L;

    private final String topic;
    private final Class<T> type;
    private final RegistrySettings registry;
    private final SerializableFunction<T, byte[]> key;
    private transient ConfluentAvroSerializer<T> serializer;

    public AvroRecordSerializer(String topic, Class<T> type, RegistrySettings registry, SerializableFunction<T, byte[]> key) {
        this.topic = topic;
        this.type = type;
        this.registry = registry;
        this.key = key;
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        serializer = new ConfluentAvroSerializer<>(type, topic, registry);
    }

    @Override
    public Optional<KafkaDatasetFacet> getKafkaDatasetFacet() {
        return Optional.of(new DefaultKafkaDatasetFacet(DefaultKafkaDatasetIdentifier.ofTopics(List.of(topic))));
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
        if (serializer == null) {
            serializer = new ConfluentAvroSerializer<>(type, topic, registry);
        }
        // No record timestamp: the producer stamps the send time. The element's event time can lie
        // ahead of the broker clock (timers, events up to input.max-future-skew ahead) and the
        // broker rejects timestamps beyond log.message.timestamp.after.max.ms, failing the job.
        // Event times travel inside the records (triggeredAt, occurredAt, asOf).
        return new ProducerRecord<>(topic, null, null, key.apply(element), serializer.serialize(element));
    }
}
