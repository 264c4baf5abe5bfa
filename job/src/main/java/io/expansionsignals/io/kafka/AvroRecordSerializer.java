package io.expansionsignals.io.kafka;

import io.expansionsignals.io.registry.ConfluentAvroSerializer;
import io.expansionsignals.io.registry.RegistrySettings;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes an output record as Confluent-wire-format Avro, keyed by the bytes the key function picks. */
public class AvroRecordSerializer<T extends SpecificRecord> implements KafkaRecordSerializationSchema<T> {
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
