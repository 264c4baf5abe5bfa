package io.expansionsignals.io.kafka;

import io.expansionsignals.domain.EngineSettings;
import io.expansionsignals.domain.InputValidator;
import io.expansionsignals.domain.Violation;
import io.expansionsignals.functions.AccountEvents;
import io.expansionsignals.io.registry.ConfluentAvroDecoder;
import io.expansionsignals.io.registry.DecodeResult;
import io.expansionsignals.io.registry.RegistrySettings;
import io.expansionsignals.schema.DeadLetter;
import io.expansionsignals.schema.DeadLetterReason;
import io.expansionsignals.schema.EngagementEvent;
import io.expansionsignals.schema.SubscriptionEvent;
import io.expansionsignals.schema.UsageEvent;
import io.expansionsignals.schema.PlanCatalogUpdate;
import io.expansionsignals.schema.internal.DecodedRecord;
import io.expansionsignals.schema.internal.SourceOrigin;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes one input topic (Confluent wire format through the registry) and validates each record.
 * It never throws for bad data: an unusable record becomes a {@link DeadLetter} carrying the
 * reason, topic, partition, offset, key and original bytes. An unreachable registry does throw
 * (after the registry client's retries), so the job restarts from its checkpoint and loses nothing.
 */
public class InputRecordDeserializer<T extends SpecificRecord> implements KafkaRecordDeserializationSchema<DecodedRecord> {
    private static final long serialVersionUID = 1L;

    private final String topic;
    private final Class<T> type;
    private final RegistrySettings registry;
    private final EngineSettings settings;
    private transient ConfluentAvroDecoder<T> decoder;
    private transient InputValidator validator;
    private transient Counter recordsIn;

    public InputRecordDeserializer(String topic, Class<T> type, RegistrySettings registry, EngineSettings settings) {
        this.topic = topic;
        this.type = type;
        this.registry = registry;
        this.settings = settings;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        decoder = new ConfluentAvroDecoder<>(type, registry);
        validator = new InputValidator(settings);
        MetricGroup group = context.getMetricGroup().addGroup("expansion_signals").addGroup("topic", topic);
        recordsIn = group.counter("records_in");
        // Near zero once every writer schema is known; a steady rate means records with ids the
        // registry lacks, each new id asked about once per registry.missing-id-cache-ttl.
        group.gauge("registry_requests", (Gauge<Long>) decoder::registryRequests);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<DecodedRecord> out) {
        if (recordsIn != null) {
            recordsIn.inc();
        }
        DecodeResult<T> result = decoder.decode(record.value());
        if (!result.isOk()) {
            out.collect(deadLetter(record, result.reason(), result.detail()));
            return;
        }
        T event = result.record();
        Optional<Violation> violation = validate(event, System.currentTimeMillis());
        if (violation.isPresent()) {
            out.collect(deadLetter(record, violation.get().reason(), violation.get().detail()));
            return;
        }
        DecodedRecord decoded = AccountEvents.wrap(event);
        if (event instanceof SubscriptionEvent || event instanceof PlanCatalogUpdate) {
            // Checked again later against the live catalog: keep where it came from and its bytes.
            decoded.setOrigin(origin(record));
        }
        if (event instanceof PlanCatalogUpdate) {
            out.collect(decoded);
            return;
        }
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        if (key != null && !key.equals(AccountEvents.accountId(decoded))) {
            out.collect(deadLetter(record, DeadLetterReason.KEY_MISMATCH, "record key '" + key
                    + "' is not the event's accountId '" + AccountEvents.accountId(decoded) + "'"));
            return;
        }
        out.collect(decoded);
    }

    private static SourceOrigin origin(ConsumerRecord<byte[], byte[]> record) {
        return SourceOrigin.newBuilder().setTopic(record.topic()).setPartition(record.partition()).setOffset(record.offset())
                .setKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
                .setValue(record.value() == null ? null : ByteBuffer.wrap(record.value()))
                .build();
    }

    private Optional<Violation> validate(T event, long now) {
        if (event instanceof PlanCatalogUpdate) {
            return Optional.empty(); // validated where it is applied, against the catalog in force
        }
        if (event instanceof SubscriptionEvent e) {
            return validator.check(e, now);
        }
        if (event instanceof UsageEvent e) {
            return validator.check(e, now);
        }
        return validator.check((EngagementEvent) event, now);
    }

    static DecodedRecord deadLetter(ConsumerRecord<byte[], byte[]> record, DeadLetterReason reason, String detail) {
        return AccountEvents.wrap(DeadLetter.newBuilder()
                .setReason(reason)
                .setDetail(detail == null ? reason.name() : detail)
                .setSourceTopic(record.topic())
                .setPartition(record.partition())
                .setOffset(record.offset())
                .setKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
                .setValue(record.value() == null ? null : ByteBuffer.wrap(record.value()))
                .setFailedAt(Instant.now())
                .build());
    }

    @Override
    public TypeInformation<DecodedRecord> getProducedType() {
        return AccountEvents.TYPE;
    }
}
