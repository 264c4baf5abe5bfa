package io.expansionsignals.testutils;

import static org.assertj.core.api.Assertions.assertThat;

import io.expansionsignals.config.JobConfig;
import io.expansionsignals.domain.AccountEngine;
import io.expansionsignals.domain.AccountState;
import io.expansionsignals.domain.EngineResult;
import io.expansionsignals.domain.EngineSettings;
import io.expansionsignals.io.registry.ConfluentAvroDecoder;
import io.expansionsignals.io.registry.ConfluentAvroSerializer;
import io.expansionsignals.io.registry.RegistrySettings;
import io.expansionsignals.io.registry.SchemaRegistryClient;
import io.expansionsignals.pipeline.KafkaJob;
import io.expansionsignals.pipeline.OutputSinks;
import io.expansionsignals.schema.AccountHealth;
import io.expansionsignals.schema.ExpansionSignal;
import io.expansionsignals.schema.SubscriptionEvent;
import io.expansionsignals.schema.UsageEvent;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Shared plumbing of the Kafka integration and fault tests: one real broker and one real registry,
 * per-test topics, the production job ({@link KafkaJob}) on a MiniCluster, Confluent-wire-format
 * input, read_committed output, and the clean-run expectation computed by the pure engine.
 */
public final class ReliabilityHarness implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
    public static final List<String> TOPIC_NAMES = List.of("subscription-events", "usage-events", "engagement-events",
            "expansion-signals", "churn-risk-signals", "account-health", "mrr-movements", "portfolio-metrics", "dead-letters",
            "plan-catalog");
    private static final AtomicInteger RUN = new AtomicInteger();

    /** Null outside a test class's run: started before its first test, closed after its last. */
    public EmbeddedKafka kafka;
    public EmbeddedSchemaRegistry registry;

    private ReliabilityHarness() {}

    /**
     * A harness that one test class shares, started before its first test and closed after its
     * last: {@code @RegisterExtension static final ReliabilityHarness h = ReliabilityHarness.perTestClass();}
     */
    public static ReliabilityHarness perTestClass() {
        return new ReliabilityHarness();
    }

    private void open() throws Exception {
        EmbeddedKafka started = EmbeddedKafka.start();
        try {
            registry = EmbeddedSchemaRegistry.start();
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
        kafka = started;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        open();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        close();
    }

    @Override
    public void close() throws Exception {
        try {
            if (registry != null) {
                registry.close();
            }
        } finally {
            if (kafka != null) {
                kafka.close();
            }
            registry = null;
            kafka = null;
        }
    }

    /** Topic names of one test, so tests never see each other's records. */
    public record Topics(String prefix) {
        public String t(String name) {
            return prefix + name;
        }

        public List<String> all() {
            return TOPIC_NAMES.stream().map(this::t).toList();
        }
    }

    public Topics newTopics(String label) throws Exception {
        Topics topics = new Topics(label + RUN.incrementAndGet() + "-");
        kafka.createTopics(2, topics.all());
        return topics;
    }

    /** The job's configuration for one test's topics; {@code extra} arguments override the defaults. */
    public JobConfig config(Topics topics, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--kafka.bootstrap-servers", kafka.bootstrapServers(),
                "--registry.url", registry.url(),
                "--kafka.group-id", topics.prefix() + "job",
                "--kafka.transactional-id-prefix", topics.prefix() + "tx",
                "--checkpoint.interval", "1 s",
                "--kafka.transaction-timeout", "5 min",
                "--watermark.idleness", "1 s",
                "--parallelism", "2"));
        for (String e : TOPIC_NAMES) {
            args.add("--topic." + e);
            args.add(topics.t(e));
        }
        args.addAll(List.of(extra));
        return JobConfig.fromArgs(args.toArray(String[]::new));
    }

    public static JobClient startJob(JobConfig config, Configuration extra) throws Exception {
        return startJob(config, extra, UnaryOperator.identity());
    }

    /** Runs the production job on a MiniCluster with its sinks passed through {@code decorate}. */
    public static JobClient startJob(JobConfig config, Configuration extra, UnaryOperator<OutputSinks> decorate)
            throws Exception {
        Configuration conf = KafkaJob.flinkConfiguration(config);
        conf.addAll(extra);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        KafkaJob.create(config, env, DeliveryGuarantee.EXACTLY_ONCE, decorate);
        return env.executeAsync("reliability");
    }

    /** Wraps the expansion-signals sink with a {@link FaultInjectingSink} following plan {@code planId}. */
    public static UnaryOperator<OutputSinks> faultySignals(String planId) {
        return s -> new OutputSinks(new FaultInjectingSink<>(s.expansionSignals(), planId), s.churnRiskSignals(),
                s.accountHealth(), s.mrrMovements(), s.deadLetters(), s.portfolioMetrics());
    }

    /** Fixed-delay restarts, as the fault tests configure them. */
    public static Configuration fixedDelayRestarts(int attempts, Duration delay) {
        Configuration c = new Configuration();
        c.setString("restart-strategy.type", "fixed-delay");
        c.setString("restart-strategy.fixed-delay.attempts", String.valueOf(attempts));
        c.setString("restart-strategy.fixed-delay.delay", delay.toMillis() + " ms");
        return c;
    }

    public <T extends SpecificRecord> byte[] serialize(String topic, Class<T> type, T record) {
        return new ConfluentAvroSerializer<>(type, topic, RegistrySettings.of(registry.url())).serialize(record);
    }

    /** Produces records keyed by their accountId, in order, each acknowledged before the next. */
    public <T extends SpecificRecord> void produce(String topic, Class<T> type, List<T> records) throws Exception {
        sendAll(topic, accountIds(records), serializeAll(topic, type, records));
    }

    /**
     * Produces records keyed by their accountId, in order, all sent before any is waited for: they
     * reach the job as one flood, as a backlog or a bulk import would.
     */
    public <T extends SpecificRecord> void produceAtOnce(String topic, Class<T> type, List<T> records) {
        List<String> keys = accountIds(records);
        List<byte[]> values = serializeAll(topic, type, records);
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
            for (int i = 0; i < values.size(); i++) {
                producer.send(new ProducerRecord<>(topic, keys.get(i).getBytes(StandardCharsets.UTF_8), values.get(i)));
            }
            producer.flush();
        }
    }

    private <T extends SpecificRecord> List<byte[]> serializeAll(String topic, Class<T> type, List<T> records) {
        ConfluentAvroSerializer<T> serializer = new ConfluentAvroSerializer<>(type, topic, RegistrySettings.of(registry.url()));
        return records.stream().map(serializer::serialize).toList();
    }

    private static List<String> accountIds(List<? extends SpecificRecord> records) {
        return records.stream().map(r -> (String) r.get(r.getSchema().getField("accountId").pos())).toList();
    }

    public void sendAll(String topic, List<String> keys, List<byte[]> values) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
            for (int i = 0; i < values.size(); i++) {
                producer.send(new ProducerRecord<>(topic, keys.get(i).getBytes(StandardCharsets.UTF_8), values.get(i))).get();
            }
        }
    }

    /** Registers a hand-built writer schema under the topic's subject and frames records with its id. */
    public List<byte[]> serializeWith(String topic, Schema writer, List<GenericRecord> records) throws Exception {
        int id = new SchemaRegistryClient(RegistrySettings.of(registry.url())).register(topic + "-value", writer);
        List<byte[]> out = new ArrayList<>();
        GenericDatumWriter<GenericRecord> datum = new GenericDatumWriter<>(writer);
        for (GenericRecord r : records) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            bytes.write(0);
            bytes.write(ByteBuffer.allocate(4).putInt(id).array());
            BinaryEncoder enc = EncoderFactory.get().binaryEncoder(bytes, null);
            datum.write(r, enc);
            enc.flush();
            out.add(bytes.toByteArray());
        }
        return out;
    }

    public <T extends SpecificRecord> List<T> read(String topic, Class<T> type, int expected, Duration timeout) {
        ConfluentAvroDecoder<T> decoder = new ConfluentAvroDecoder<>(type, RegistrySettings.of(registry.url()));
        return kafka.readCommitted(topic, expected, timeout).stream().map(r -> decoder.decode(r.value()).record()).toList();
    }

    /** Re-reads the committed records of a topic until {@code done} holds for them, then returns them. */
    public <T extends SpecificRecord> List<T> readUntil(String topic, Class<T> type, java.util.function.Predicate<List<T>> done,
            Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<T> records = read(topic, type, 0, Duration.ofSeconds(5));
        while (!done.test(records)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting on " + topic + "; have " + records);
            }
            records = read(topic, type, 0, Duration.ofSeconds(5));
        }
        return records;
    }

    /** Polls {@code condition} every 100 ms until it holds, failing with {@code what} after {@code timeout}. */
    public static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        await(() -> what, timeout, condition);
    }

    /** As {@link #await(String, Duration, BooleanSupplier)}, with {@code what} told as it stands at the timeout. */
    public static void await(java.util.function.Supplier<String> what, Duration timeout, BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + what.get());
            }
            Thread.sleep(100);
        }
    }

    public static JobStatus status(JobClient job) {
        try {
            return job.getJobStatus().get();
        } catch (Exception e) {
            return JobStatus.FAILED;
        }
    }

    public static String latestCheckpoint(Path root) throws Exception {
        try (var dirs = Files.walk(root, 2)) {
            return dirs.filter(p -> p.getFileName().toString().startsWith("chk-") && Files.exists(p.resolve("_metadata")))
                    .max(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().substring(4))))
                    .map(p -> p.toUri().toString())
                    .orElseThrow(() -> new AssertionError("no completed checkpoint under " + root));
        }
    }

    // ---- the clean-run expectation ------------------------------------------------------------

    /**
     * The pure engine over the same input, each account's events in the order given (the order the
     * job sees them when each account's events go, in order, to one partition of one topic and
     * subscriptions were processed first). Holds the accounts' state, so a test can change settings
     * between phases as a restore with new configuration does.
     */
    public static final class CleanRun {
        private final Map<String, AccountState> accounts = new LinkedHashMap<>();
        private final Set<String> seenEventIds = new HashSet<>();
        private final List<ExpansionSignal> signals = new ArrayList<>();
        private final Map<String, AccountHealth> latestHealth = new TreeMap<>();

        public CleanRun apply(EngineSettings settings, List<? extends SpecificRecord> events) {
            AccountEngine engine = new AccountEngine(settings);
            for (SpecificRecord e : events) {
                String id = (String) e.get(e.getSchema().getField("eventId").pos());
                if (!seenEventIds.add(id)) {
                    continue;
                }
                String account = (String) e.get(e.getSchema().getField("accountId").pos());
                AccountState a = accounts.computeIfAbsent(account, AccountEngine::newAccount);
                EngineResult r = e instanceof SubscriptionEvent s ? engine.onSubscription(a, s, 0)
                        : engine.onUsage(a, (UsageEvent) e, 0);
                signals.addAll(r.expansionSignals);
                if (r.snapshot != null) {
                    latestHealth.put(account, r.snapshot);
                }
            }
            return this;
        }

        public List<ExpansionSignal> signals() {
            return signals;
        }

        /** What a reader of the compacted account-health topic holds at the end: the last snapshot per account. */
        public Map<String, AccountHealth> latestHealth() {
            return latestHealth;
        }
    }

    /** The last snapshot per account among {@code snapshots}, in the order they were read. */
    public static Map<String, AccountHealth> latestPerAccount(List<AccountHealth> snapshots) {
        Map<String, AccountHealth> latest = new TreeMap<>();
        snapshots.forEach(s -> latest.put(s.getAccountId(), s));
        return latest;
    }

    /** A signal without processedAt, the one field that legitimately differs between runs. */
    public static ExpansionSignal comparable(ExpansionSignal s) {
        return ExpansionSignal.newBuilder(s).setProcessedAt(Instant.EPOCH).build();
    }

    /**
     * The accounting invariant: what read_committed shows equals the clean run's signals, by id and
     * content (minus processedAt), with no duplicates.
     */
    public static void assertSameAsCleanRun(List<ExpansionSignal> actual, CleanRun clean) {
        assertThat(clean.signals()).as("the clean run produces signals at all").isNotEmpty();
        assertThat(actual).extracting(ExpansionSignal::getSignalId).as("no duplicates").doesNotHaveDuplicates();
        assertThat(actual.stream().map(ReliabilityHarness::comparable).toList())
                .as("signals after the fault equal a clean run's")
                .containsExactlyInAnyOrderElementsOf(clean.signals().stream().map(ReliabilityHarness::comparable).toList());
    }

    public static String describe(List<ExpansionSignal> signals) {
        return Arrays.toString(signals.stream().map(s -> s.getAccountId() + ":" + s.getType() + ":" + s.getLevel()).toArray());
    }
}
