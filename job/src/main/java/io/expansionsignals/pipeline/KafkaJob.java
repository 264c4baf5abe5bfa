package io.expansionsignals.pipeline;

import static io.expansionsignals.config.ExpansionSignalsOptions.*;

import io.expansionsignals.config.ExpansionSignalsOptions;
import io.expansionsignals.config.JobConfig;
import io.expansionsignals.domain.EngineSettings;
import io.expansionsignals.io.kafka.KafkaConnectors;
import io.expansionsignals.io.kafka.TopicCheck;
import io.expansionsignals.io.registry.ConfluentAvroSerializer;
import io.expansionsignals.io.registry.RegistrySettings;
import io.expansionsignals.io.registry.RegistryUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.expansionsignals.io.registry.SchemaRegistryClient;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import io.expansionsignals.schema.AccountHealth;
import io.expansionsignals.schema.ChurnRiskSignal;
import io.expansionsignals.schema.DeadLetter;
import io.expansionsignals.schema.EngagementEvent;
import io.expansionsignals.schema.ExpansionSignal;
import io.expansionsignals.schema.MrrMovement;
import io.expansionsignals.schema.PortfolioMetrics;
import io.expansionsignals.schema.SubscriptionEvent;
import io.expansionsignals.schema.UsageEvent;
import io.expansionsignals.schema.internal.DecodedRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.UnaryOperator;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** Builds the production job: Kafka in, the pipeline, Kafka out, on RocksDB with exactly-once checkpoints. */
public final class KafkaJob {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaJob.class);
    /** How long the start-up topic check waits for the brokers before it lets the job start unchecked. */
    private static final Duration TOPIC_CHECK_TIMEOUT = Duration.ofSeconds(15);
    private KafkaJob() {}

    /** Job-level Flink settings the product relies on; a cluster's own config supplies the rest. */
    public static Configuration flinkConfiguration(JobConfig config) {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        conf.set(RocksDBConfigurableOptions.COMPRESSION_PER_LEVEL, config.get(ROCKSDB_COMPRESSION));
        Boolean bloomFilter = config.get(ROCKSDB_BLOOM_FILTER); // unset: the cluster's setting stays in force
        if (bloomFilter != null) {
            conf.set(RocksDBConfigurableOptions.USE_BLOOM_FILTER, bloomFilter);
        }
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, config.get(CHECKPOINT_INTERVAL));
        conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        return conf;
    }

    public static StreamExecutionEnvironment create(JobConfig config) {
        return create(config, StreamExecutionEnvironment.getExecutionEnvironment(flinkConfiguration(config)),
                DeliveryGuarantee.EXACTLY_ONCE);
    }

    /** Wires the Kafka job onto a given environment (tests pass a MiniCluster one). */
    public static StreamExecutionEnvironment create(JobConfig config, StreamExecutionEnvironment env, DeliveryGuarantee guarantee) {
        return create(config, env, guarantee, UnaryOperator.identity());
    }

    /**
     * As {@link #create(JobConfig, StreamExecutionEnvironment, DeliveryGuarantee)}, with the Kafka
     * sinks passed through {@code decorateSinks} first: fault tests wrap them to fail or slow down.
     */
    public static StreamExecutionEnvironment create(JobConfig config, StreamExecutionEnvironment env, DeliveryGuarantee guarantee,
            UnaryOperator<OutputSinks> decorateSinks) {
        String bootstrap = config.required(BOOTSTRAP_SERVERS);
        RegistrySettings registry = registrySettings(config);
        Duration timeout = config.get(TRANSACTION_TIMEOUT);
        Duration interval = config.get(CHECKPOINT_INTERVAL);
        if (guarantee == DeliveryGuarantee.EXACTLY_ONCE && timeout.compareTo(interval.multipliedBy(3)) < 0) {
            throw new io.expansionsignals.config.ConfigurationException("setting 'kafka.transaction-timeout' (" + timeout
                    + ") must be at least 3 x 'checkpoint.interval' (" + interval + ") so open transactions survive recovery");
        }
        EngineSettings settings = config.engineSettings();
        // The heap backend hands out the stored object itself (copied on write during snapshots):
        // a cache beside it would bypass that copy. Only a backend that deserialises on read gains.
        boolean rocksDb = "rocksdb".equalsIgnoreCase(env.getConfiguration().get(StateBackendOptions.STATE_BACKEND));
        // Holding health snapshots until the barrier hides nothing only where readers see a
        // checkpoint's records at once; at-least-once readers see each as it is written.
        settings = settings.toBuilder()
                .stateCacheSize(rocksDb ? settings.stateCacheSize : 0)
                .knownAccountsFilter(rocksDb && config.get(KNOWN_ACCOUNTS_FILTER))
                .snapshotBufferSize(guarantee == DeliveryGuarantee.EXACTLY_ONCE ? settings.snapshotBufferSize : 0).build();
        if (config.get(PARALLELISM) > 0) {
            env.setParallelism(config.get(PARALLELISM));
        }
        if (config.get(VERIFY_TOPICS)) {
            Properties client = config.kafkaProperties();
            client.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            TopicCheck.check(topics(config), client, TOPIC_CHECK_TIMEOUT);
        }
        if (registry.autoRegister()) {
            registerOutputSchemas(config, registry);
        }
        KafkaConnectors kafka = new KafkaConnectors(bootstrap, config.kafkaProperties(), registry, config.get(GROUP_ID),
                config.get(TRANSACTIONAL_ID_PREFIX), timeout, config.get(STARTING_OFFSETS), guarantee,
                config.get(TRANSACTION_NAMING));
        WatermarkStrategy<DecodedRecord> wm = ExpansionSignalsPipeline.watermarks(config.get(OUT_OF_ORDERNESS), config.get(IDLENESS));
        List<DataStream<DecodedRecord>> inputs = List.of(
                input(env, kafka, config.get(TOPIC_SUBSCRIPTIONS), SubscriptionEvent.class, settings, wm),
                input(env, kafka, config.get(TOPIC_USAGE), UsageEvent.class, settings, wm),
                input(env, kafka, config.get(TOPIC_ENGAGEMENT), EngagementEvent.class, settings, wm));
        OutputSinks sinks = new OutputSinks(
                kafka.sink(config.get(TOPIC_EXPANSION_SIGNALS), ExpansionSignal.class, s -> utf8(s.getAccountId())),
                kafka.sink(config.get(TOPIC_CHURN_RISK), ChurnRiskSignal.class, s -> utf8(s.getAccountId())),
                kafka.sink(config.get(TOPIC_ACCOUNT_HEALTH), AccountHealth.class, s -> utf8(s.getAccountId())),
                kafka.sink(config.get(TOPIC_MRR_MOVEMENTS), MrrMovement.class, s -> utf8(s.getAccountId())),
                kafka.sink(config.get(TOPIC_DEAD_LETTERS), DeadLetter.class, KafkaJob::originalKey),
                kafka.sink(config.get(TOPIC_PORTFOLIO_METRICS), PortfolioMetrics.class,
                        m -> utf8(m.getSegment() + "|" + m.getPeriodStart())));
        DataStream<DecodedRecord> catalog = config.get(CATALOG_TOPIC_ENABLED)
                ? env.fromSource(kafka.catalogSource(config.get(TOPIC_PLAN_CATALOG), settings),
                        ExpansionSignalsPipeline.outsideEventTime(), config.get(TOPIC_PLAN_CATALOG)).uid("source-plan-catalog")
                : null;
        ExpansionSignalsPipeline.defineWorkflow(inputs, catalog, decorateSinks.apply(sinks), settings, config.get(DEDUP_WINDOW),
                config.get(CHURNED_MEMORY));
        return env;
    }

    /**
     * Every topic the job reads or writes: the inputs and outputs are required, the plan catalog
     * (when enabled) is not; account-health and the plan catalog are meant to be compacted.
     */
    static List<TopicCheck.Topic> topics(JobConfig config) {
        List<TopicCheck.Topic> topics = new ArrayList<>();
        for (ConfigOption<String> option : ExpansionSignalsOptions.topics()) {
            boolean catalog = option == TOPIC_PLAN_CATALOG;
            if (!catalog || config.get(CATALOG_TOPIC_ENABLED)) {
                topics.add(new TopicCheck.Topic(option.key(), config.get(option), !catalog,
                        catalog || option == TOPIC_ACCOUNT_HEALTH));
            }
        }
        return topics;
    }

    /**
     * Registers every output schema once, before any task starts: otherwise each parallel sink
     * subtask registers the same new subject at the same moment, and registries answer such races
     * with conflicts or server errors (Apicurio: 409, or 500 from its id sequence under load).
     */
    private static void registerOutputSchemas(JobConfig config, RegistrySettings registry) {
        // Best effort and brief: a registry that is down now must not keep the job from starting;
        // the sinks register (with the full retry time) once it is back.
        SchemaRegistryClient client = new SchemaRegistryClient(registry.withRetryTotalTime(Duration.ofSeconds(5)));
        Map<ConfigOption<String>, org.apache.avro.Schema> outputs = Map.of(
                TOPIC_EXPANSION_SIGNALS, ExpansionSignal.getClassSchema(),
                TOPIC_CHURN_RISK, ChurnRiskSignal.getClassSchema(),
                TOPIC_ACCOUNT_HEALTH, AccountHealth.getClassSchema(),
                TOPIC_MRR_MOVEMENTS, MrrMovement.getClassSchema(),
                TOPIC_DEAD_LETTERS, DeadLetter.getClassSchema(),
                TOPIC_PORTFOLIO_METRICS, PortfolioMetrics.getClassSchema());
        try {
            outputs.forEach((topic, schema) -> client.register(ConfluentAvroSerializer.valueSubject(config.get(topic)), schema));
        } catch (RegistryUnavailableException e) {
            LOG.warn("Output schemas not pre-registered, the sinks will register them: {}", e.getMessage());
        }
    }

    private static <T extends SpecificRecord> DataStream<DecodedRecord> input(StreamExecutionEnvironment env,
            KafkaConnectors kafka, String topic, Class<T> type, EngineSettings settings, WatermarkStrategy<DecodedRecord> wm) {
        return env.fromSource(kafka.source(topic, type, settings), wm, topic).uid("source-" + type.getSimpleName());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] originalKey(DeadLetter d) {
        ByteBuffer key = d.getKey();
        if (key == null) {
            return null;
        }
        byte[] bytes = new byte[key.remaining()];
        key.duplicate().get(bytes);
        return bytes;
    }

    /** How the job reaches the schema registry, from the {@code registry.*} settings. */
    public static RegistrySettings registrySettings(JobConfig config) {
        RegistrySettings registry = RegistrySettings.of(config.required(REGISTRY_URL))
                .withRetryTotalTime(config.get(REGISTRY_RETRY_TIMEOUT))
                .withAutoRegister(config.get(REGISTRY_AUTO_REGISTER))
                .withMissingIdCacheTtl(config.get(REGISTRY_MISSING_ID_CACHE_TTL));
        if (config.get(REGISTRY_USERNAME) != null) {
            registry = registry.withBasicAuth(config.get(REGISTRY_USERNAME), config.get(REGISTRY_PASSWORD));
        }
        return registry;
    }
}
