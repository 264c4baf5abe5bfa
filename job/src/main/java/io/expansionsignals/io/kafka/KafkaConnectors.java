package io.expansionsignals.io.kafka;

import io.expansionsignals.domain.EngineSettings;
import io.expansionsignals.io.registry.RegistrySettings;
import io.expansionsignals.schema.PlanCatalogUpdate;
import io.expansionsignals.schema.internal.DecodedRecord;
import java.time.Duration;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.TransactionNamingStrategy;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** Builds the job's Kafka sources and sinks from one set of connection settings. */
public final class KafkaConnectors {
    /** Producer linger of the exactly-once sinks unless kafka.properties.linger.ms overrides it. */
    static final String EXACTLY_ONCE_LINGER_MS = "100";
    /**
     * First retry backoff of the exactly-once sinks' producers unless kafka.properties.retry.backoff.ms
     * overrides it; public so the benchmark's floor job configures its sink the same way.
     */
    public static final String EXACTLY_ONCE_RETRY_BACKOFF_MS = "10";
    /**
     * The event sources' fetches: the broker answers once this much is ready or after
     * {@link #SOURCE_FETCH_MAX_WAIT_MS}, unless kafka.properties sets fetch.min.bytes /
     * fetch.max.wait.ms. Public so the benchmark's floor job reads the same way.
     */
    public static final String SOURCE_FETCH_MIN_BYTES = "65536";
    public static final String SOURCE_FETCH_MAX_WAIT_MS = "10";

    private final String bootstrapServers;
    private final Properties clientProperties;
    private final RegistrySettings registry;
    private final String groupId;
    private final String transactionalIdPrefix;
    private final Duration transactionTimeout;
    private final String startingOffsets;
    private final DeliveryGuarantee guarantee;
    private final TransactionNamingStrategy transactionNaming;

    public KafkaConnectors(String bootstrapServers, Properties clientProperties, RegistrySettings registry, String groupId,
            String transactionalIdPrefix, Duration transactionTimeout, String startingOffsets, DeliveryGuarantee guarantee,
            TransactionNamingStrategy transactionNaming) {
        this.bootstrapServers = bootstrapServers;
        this.clientProperties = clientProperties;
        this.registry = registry;
        this.groupId = groupId;
        this.transactionalIdPrefix = transactionalIdPrefix;
        this.transactionTimeout = transactionTimeout;
        this.startingOffsets = startingOffsets;
        this.guarantee = guarantee;
        this.transactionNaming = transactionNaming;
    }

    public <T extends SpecificRecord> KafkaSource<DecodedRecord> source(String topic, Class<T> type, EngineSettings settings) {
        return KafkaSource.<DecodedRecord>builder()
                .setBootstrapServers(bootstrapServers)
                .setProperties(sourceProperties())
                .setTopics(topic)
                .setGroupId(groupId)
                .setStartingOffsets(offsets())
                .setProperty("isolation.level", "read_committed")
                .setProperty("partition.discovery.interval.ms", "60000")
                .setDeserializer(new InputRecordDeserializer<>(topic, type, registry, settings))
                .build();
    }

    /**
     * The event sources' client settings. Kafka's consumer defaults (fetch.min.bytes 1) answer a
     * fetch as soon as one record is there, so a live source polls in a tight loop of small
     * fetches; on two cores shared with the broker those requests took ~0.15 of a core (broker
     * handlers and fetcher threads) that the account engine's checkpoint flush waited for. 64 KB
     * or 10 ms delays a record by at most 10 ms; a backlog fills the 64 KB at once. The catalog
     * source keeps Kafka's defaults: its topic is idle, and a short wait would make it poll more.
     */
    Properties sourceProperties() {
        Properties p = clientCopy();
        p.putIfAbsent("fetch.min.bytes", SOURCE_FETCH_MIN_BYTES);
        p.putIfAbsent("fetch.max.wait.ms", SOURCE_FETCH_MAX_WAIT_MS);
        return p;
    }

    /**
     * The compacted plan-catalog topic, always read from its beginning: the newest valid version
     * wins. Subscribed by pattern so a deployment without the topic runs on its start-up catalog
     * and picks the topic up once it is created.
     */
    public KafkaSource<DecodedRecord> catalogSource(String topic, EngineSettings settings) {
        return KafkaSource.<DecodedRecord>builder()
                .setBootstrapServers(bootstrapServers)
                .setProperties(clientProperties)
                .setTopicPattern(java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(topic)))
                .setGroupId(groupId + "-catalog")
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setProperty("isolation.level", "read_committed")
                .setProperty("partition.discovery.interval.ms", "30000")
                .setDeserializer(new InputRecordDeserializer<>(topic, PlanCatalogUpdate.class, registry, settings))
                .build();
    }

    private OffsetsInitializer offsets() {
        return switch (startingOffsets) {
            case "latest" -> OffsetsInitializer.latest();
            case "committed" -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
            default -> OffsetsInitializer.earliest();
        };
    }

    public <T extends SpecificRecord> Sink<T> sink(String topic, Class<T> type, SerializableFunction<T, byte[]> key) {
        var builder = KafkaSink.<T>builder()
                .setBootstrapServers(bootstrapServers)
                .setKafkaProducerConfig(producerProperties())
                .setRecordSerializer(new AvroRecordSerializer<>(topic, type, registry, key))
                .setDeliveryGuarantee(guarantee);
        if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
            // One prefix per sink: transactional ids must not collide between the job's sinks.
            builder.setTransactionalIdPrefix(transactionalIdPrefix + "-" + topic)
                    .setTransactionNamingStrategy(transactionNaming);
            return new AdminClosingKafkaSink<>(builder.build());
        }
        return builder.build();
    }

    /** A copy of the kafka.properties settings for one kind of client; its defaults go in with putIfAbsent, so a setting wins. */
    private Properties clientCopy() {
        Properties p = new Properties();
        p.putAll(clientProperties);
        return p;
    }

    Properties producerProperties() {
        Properties p = clientCopy();
        p.setProperty("transaction.timeout.ms", String.valueOf(transactionTimeout.toMillis()));
        p.putIfAbsent("compression.type", "lz4");
        // Exactly-once output is invisible until the checkpoint commits it, so lingering up to
        // 100 ms adds no visible latency; it fills batches instead of opening one (with a fresh
        // 64 KB lz4 block buffer) per record, which cost ~9 % of the account operator's CPU.
        if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
            p.putIfAbsent("linger.ms", EXACTLY_ONCE_LINGER_MS);
            // Every new transactional producer looks up its transaction coordinator and sleeps one
            // retry backoff before initTransactions returns (Kafka's default 100 ms; measured 110 ms
            // against 22 ms at 10 ms). The sinks create them on the task thread: at start-up, after
            // each restart and in the first checkpoints, while their producer pool fills, four
            // chained sinks stalled the account operator for over a second. Failed requests still
            // back off exponentially up to retry.backoff.max.ms (1 s by default).
            p.putIfAbsent("retry.backoff.ms", EXACTLY_ONCE_RETRY_BACKOFF_MS);
        } else {
            p.putIfAbsent("linger.ms", "5");
        }
        return p;
    }
}
