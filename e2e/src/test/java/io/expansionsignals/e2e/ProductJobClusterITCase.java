package io.expansionsignals.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.expansionsignals.ExpansionSignalsJob;
import io.expansionsignals.e2e.PrometheusText.Sample;
import io.expansionsignals.io.registry.ConfluentAvroDecoder;
import io.expansionsignals.io.registry.ConfluentAvroSerializer;
import io.expansionsignals.io.registry.RegistrySettings;
import io.expansionsignals.schema.BillingInterval;
import io.expansionsignals.schema.ExpansionSignal;
import io.expansionsignals.schema.Segment;
import io.expansionsignals.schema.SubscriptionEvent;
import io.expansionsignals.schema.SubscriptionEventType;
import io.expansionsignals.schema.UsageEvent;
import io.expansionsignals.testutils.EmbeddedKafka;
import io.expansionsignals.testutils.EmbeddedSchemaRegistry;
import io.expansionsignals.testutils.Events;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The product job (the shaded jar, submitted over REST) on the real standalone cluster against a
 * real KRaft broker and schema registry in this JVM: exactly-once output across a {@code kill -9}
 * of the TaskManager mid-stream, keyed state carried over a stop-with-savepoint and a resubmission
 * with a changed configuration (cooldown, parallelism 2 → 1), and the job's own metrics on the
 * Prometheus reporter endpoint under the names {@code deploy/metrics/exposed-metrics.txt} lists.
 */
class ProductJobClusterITCase {

    private static final String JOB_METRIC_PREFIX = "flink_taskmanager_job_task_operator_expansion_signals_";
    private static final String[] TOPICS = {"subscription-events", "usage-events", "engagement-events", "expansion-signals",
            "churn-risk-signals", "account-health", "mrr-movements", "portfolio-metrics", "dead-letters"};
    /**
     * The job's records_in counter is registered on the Kafka deserializer's metric group, which
     * the KafkaSource nests under "deserializer": this is its exported name, as the list has it.
     */
    private static final String RECORDS_IN_AS_EXPORTED =
            "flink_taskmanager_job_task_operator_deserializer_expansion_signals_topic_records_in";
    /** Accounts of the kill -9 part: 85,000 then +20,000 api_calls on starter (limit 100,000). */
    private static final int ACCOUNTS = 30;
    /** Accounts of the savepoint part: 50,000 before the stop, +35,000 after the resubmission. */
    private static final int SAVEPOINT_ACCOUNTS = 10;
    /** Event times a few days ago: nothing is "in the future", the month is known, times only rise. */
    private static final Instant BASE = Events.recentMidnight();

    private final String prefix = "e2e" + System.currentTimeMillis() % 1_000_000 + "-";
    private EmbeddedKafka kafka;
    private EmbeddedSchemaRegistry registry;

    @Test
    void productJobIsExactlyOnceAcrossKillAndKeepsStateAcrossSavepointWithChangedConfig() throws Exception {
        Path repoRoot = DeployedSettings.repoRoot();
        Path jobJar = repoRoot.resolve("job/target/expansion-signals-job-0.1.0-SNAPSHOT.jar");
        assertThat(jobJar).as("build the job module first (./mvnw -pl job package, or -am)").isRegularFile();
        Map<String, Duration> timings = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        // Broker and registry come up while the cluster does.
        CompletableFuture<EmbeddedKafka> kafkaStart = CompletableFuture.supplyAsync(() -> {
            try {
                return EmbeddedKafka.start();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        CompletableFuture<EmbeddedSchemaRegistry> registryStart = CompletableFuture.supplyAsync(EmbeddedSchemaRegistry::start);
        try (StandaloneFlinkCluster cluster = StandaloneFlinkCluster.builder().start()) {
            try {
                kafka = kafkaStart.join();
                registry = registryStart.join();
                timings.put("cluster + broker + registry up", since(t0));
                kafka.createTopics(2, IntStream.range(0, TOPICS.length).mapToObj(i -> t(TOPICS[i])).toList());
                runScenario(cluster, repoRoot, jobJar, timings);
            } catch (Throwable failure) {
                System.err.println(cluster.logTails(150));
                throw failure;
            }
        } finally {
            if (registry != null) {
                registry.close();
            } else {
                registryStart.thenAccept(EmbeddedSchemaRegistry::close);
            }
            if (kafka != null) {
                kafka.close();
            }
            System.out.println("== ProductJobClusterITCase timings ==");
            timings.forEach((step, took) -> System.out.printf("  %-45s %6.1f s%n", step, took.toMillis() / 1000.0));
        }
    }

    private void runScenario(StandaloneFlinkCluster cluster, Path repoRoot, Path jobJar, Map<String, Duration> timings)
            throws Exception {
        FlinkRestClient rest = cluster.rest();
        String jarId = rest.uploadJar(jobJar);

        List<SubscriptionEvent> subs = new ArrayList<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            subs.add(created(acct(i), at(0)));
        }
        produce(t("subscription-events"), subs);
        produce(t("usage-events"), usage(0, ACCOUNTS, 85_000, at(1))); // 0.85 of the limit: USAGE_THRESHOLD

        // 1. Fresh start at parallelism 2.
        long t = System.nanoTime();
        String jobId = rest.runJar(jarId, ExpansionSignalsJob.class.getName(), args(2), null, 2);
        rest.waitUntilAllVerticesRunning(jobId, Duration.ofSeconds(90));
        timings.put("submit -> all vertices RUNNING", since(t));
        assertThat(readSignals(ACCOUNTS, Duration.ofSeconds(90))).hasSize(ACCOUNTS)
                .allSatisfy(s -> assertThat(s.getType().name()).isEqualTo("USAGE_THRESHOLD"));
        CheckpointStats beforeKill = rest.waitForCompletedCheckpoints(jobId, 1, Duration.ofSeconds(60));
        assertThat(beforeKill.hasRestored()).isFalse();

        // 2. Half of the +20,000s, then kill -9 mid-stream (some of it is in open transactions),
        //    a new TaskManager, the other half.
        produce(t("usage-events"), usage(0, ACCOUNTS / 2, 20_000, at(2)));
        t = System.nanoTime();
        cluster.killTaskManager();
        cluster.startTaskManager();
        CheckpointStats afterKill = rest.waitForCheckpoints(jobId, "restore from a checkpoint",
                CheckpointStats::hasRestored, Duration.ofSeconds(120));
        rest.waitUntilAllVerticesRunning(jobId, Duration.ofSeconds(90));
        timings.put("kill -9 TM -> restored and RUNNING", since(t));
        System.out.println("before kill: " + beforeKill + "; after: " + afterKill + ", numRestarts=" + rest.numRestarts(jobId));
        assertThat(afterKill.restoredIsSavepoint()).isFalse();
        assertThat(afterKill.restoredId()).isGreaterThanOrEqualTo(beforeKill.latestCompletedId());
        produce(t("usage-events"), usage(ACCOUNTS / 2, ACCOUNTS, 20_000, at(2)));

        List<ExpansionSignal> signals = readSignals(2 * ACCOUNTS, Duration.ofSeconds(120));
        assertThat(signals).extracting(ExpansionSignal::getSignalId).doesNotHaveDuplicates();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            expected.add(acct(i) + " USAGE_THRESHOLD");
            expected.add(acct(i) + " LIMIT_REACHED");
        }
        assertThat(signals).extracting(s -> s.getAccountId() + " " + s.getType())
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(signals).filteredOn(s -> s.getType().name().equals("LIMIT_REACHED"))
                .allSatisfy(s -> assertThat(s.getUsage()).isEqualTo(105_000));

        // 3. Metrics of the running (restored) job. No dead letter yet, so no dead_letters series.
        assertThat(cluster.taskManagerPrometheusMetrics()).doesNotContain(JOB_METRIC_PREFIX + "reason_dead_letters");
        kafka.send(t("usage-events"), "garbage".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3});
        // Fresh accounts for step 4 (their NEW movements also make mrr_movements appear), with half-way usage.
        List<SubscriptionEvent> spSubs = new ArrayList<>();
        for (int i = 0; i < SAVEPOINT_ACCOUNTS; i++) {
            spSubs.add(created(spAcct(i), at(3)));
        }
        produce(t("subscription-events"), spSubs);
        produce(t("usage-events"), spUsage(50_000, at(4))); // 0.5: no signal, only state
        checkMetrics(cluster, repoRoot);

        // 4. Stop with a savepoint once the 50,000s are processed and checkpointed (the source
        //    commits its offsets to the group on checkpoint completion), so after the restore only
        //    keyed state can know about them, not a re-read of the topic.
        awaitCommittedToEnd(t("usage-events"), prefix + "job", Duration.ofSeconds(60));
        t = System.nanoTime();
        String savepoint = rest.stopWithSavepoint(jobId, cluster.savepointDir(), Duration.ofSeconds(60));
        rest.waitForJobStatus(jobId, "FINISHED", Duration.ofSeconds(30));
        timings.put("stop-with-savepoint -> FINISHED", since(t));
        System.out.println("savepoint: " + savepoint);

        // 5. Resubmit from it with a changed configuration: cooldown 1 h and parallelism 1.
        t = System.nanoTime();
        List<String> changed = new ArrayList<>(args(1));
        changed.addAll(List.of("--signals.cooldown", "1 h"));
        String resumedId = rest.runJar(jarId, ExpansionSignalsJob.class.getName(), changed, savepoint, 1);
        rest.waitUntilAllVerticesRunning(resumedId, Duration.ofSeconds(90));
        timings.put("resubmit from savepoint (p=1) -> RUNNING", since(t));
        CheckpointStats resumed = rest.checkpoints(resumedId);
        assertThat(resumed.hasRestored()).as("no restore reported: %s", resumed).isTrue();
        assertThat(resumed.restoredIsSavepoint()).isTrue();
        assertThat(resumed.restoredPath()).isEqualTo(savepoint);

        // +35,000 crosses 0.8 only on top of the 50,000 kept in state.
        produce(t("usage-events"), spUsage(35_000, at(5)));
        t = System.nanoTime();
        List<ExpansionSignal> all = readSignals(2 * ACCOUNTS + SAVEPOINT_ACCOUNTS, Duration.ofSeconds(90));
        timings.put("+35,000 produced -> signals committed", since(t));
        assertThat(all).extracting(ExpansionSignal::getSignalId).doesNotHaveDuplicates();
        List<ExpansionSignal> fresh = all.stream().filter(s -> s.getAccountId().startsWith(prefix + "sp-")).toList();
        assertThat(fresh).as("USAGE_THRESHOLD of the savepoint accounts: needs the 50,000 from before the stop")
                .hasSize(SAVEPOINT_ACCOUNTS)
                .allSatisfy(s -> {
                    assertThat(s.getType().name()).isEqualTo("USAGE_THRESHOLD");
                    assertThat(s.getUsage()).isEqualTo(85_000);
                });
        assertThat(fresh).extracting(ExpansionSignal::getAccountId).doesNotHaveDuplicates();
        // Nothing re-emitted for the first accounts: the source resumed from the savepoint's offsets.
        assertThat(all).hasSize(2 * ACCOUNTS + SAVEPOINT_ACCOUNTS);

        rest.cancel(resumedId);
        rest.waitForJobStatus(resumedId, "CANCELED", Duration.ofSeconds(30));
    }

    /**
     * Every job metric name listed in deploy/metrics/exposed-metrics.txt is on the TaskManager's
     * reporter endpoint, with the labels the dashboards use.
     */
    private void checkMetrics(StandaloneFlinkCluster cluster, Path repoRoot) throws Exception {
        List<String> listed = Files.readAllLines(repoRoot.resolve("deploy/metrics/exposed-metrics.txt")).stream()
                .map(String::trim).filter(l -> l.startsWith("flink_") && l.contains("_expansion_signals_")).toList();
        assertThat(listed).contains(RECORDS_IN_AS_EXPORTED, JOB_METRIC_PREFIX + "signal_type_signals_emitted",
                JOB_METRIC_PREFIX + "duplicate_events", JOB_METRIC_PREFIX + "accounts_in_state",
                JOB_METRIC_PREFIX + "signal_lag_ms", JOB_METRIC_PREFIX + "reason_dead_letters");
        String deadLetters = JOB_METRIC_PREFIX + "reason_dead_letters";
        String movements = JOB_METRIC_PREFIX + "movement_type_mrr_movements";
        // Waits for the conditional series: the dead letter and the NEW movements of step 3.
        String text = Waits.until("dead letter and mrr movement metrics", Duration.ofSeconds(60), () -> {
            String m = cluster.taskManagerPrometheusMetrics();
            boolean ready = PrometheusText.samples(m, deadLetters).stream().anyMatch(s -> s.value() >= 1)
                    && PrometheusText.samples(m, movements).stream().anyMatch(s -> s.value() >= 1);
            return ready ? Optional.of(m) : Optional.empty();
        }, () -> cluster.taskManagerPrometheusMetrics().lines().filter(l -> l.contains("expansion_signals"))
                .limit(40).collect(Collectors.joining("\n")));
        List<String> missing = listed.stream().filter(name -> PrometheusText.samples(text, name).isEmpty()).toList();
        System.out.println("job metrics listed in exposed-metrics.txt: " + listed.size() + ", missing on the endpoint: " + missing
                + "; records_in lines: " + text.lines().filter(l -> l.contains("records_in")).limit(4).toList());
        assertThat(missing).as("listed in deploy/metrics/exposed-metrics.txt but not on the reporter endpoint").isEmpty();
        // The dashboard's GC panel reads the collector-independent sum; the JVM metric's name is Flink's, not ours.
        assertThat(PrometheusText.samples(text, "flink_taskmanager_Status_JVM_GarbageCollector_All_TimeMsPerSecond"))
                .as("GC time on the reporter endpoint").isNotEmpty();
        // The task manager runs the parallel collector, as deploy/k8s sets it (its young collector is "PS Scavenge").
        assertThat(PrometheusText.samples(text, "flink_taskmanager_Status_JVM_GarbageCollector_PS_Scavenge_Count"))
                .as("the parallel collector's metrics on the task manager").isNotEmpty();

        assertThat(PrometheusText.samples(text, RECORDS_IN_AS_EXPORTED))
                .anySatisfy(s -> {
                    assertThat(s.labels()).contains(PrometheusText.label("topic", t("usage-events")));
                    assertThat(s.value()).isPositive();
                })
                .anySatisfy(s -> assertThat(s.labels()).contains(PrometheusText.label("topic", t("subscription-events"))));
        assertThat(PrometheusText.samples(text, JOB_METRIC_PREFIX + "signal_type_signals_emitted"))
                .anySatisfy(s -> {
                    assertThat(s.labels()).contains("signal_type=\"LIMIT_REACHED\"");
                    assertThat(s.value()).isPositive();
                });
        List<Sample> dead = PrometheusText.samples(text, deadLetters);
        assertThat(dead).as("one garbage record, one dead letter").singleElement().satisfies(s -> {
            assertThat(s.labels()).contains("reason=\"UNDECODABLE\"");
            assertThat(s.value()).isEqualTo(1.0);
        });
        assertThat(PrometheusText.samples(text, movements)).anySatisfy(s -> assertThat(s.labels()).contains("movement_type=\"NEW\""));
        assertThat(PrometheusText.samples(text, JOB_METRIC_PREFIX + "accounts_in_state")).isNotEmpty();
        assertThat(PrometheusText.samples(text, JOB_METRIC_PREFIX + "signal_lag_ms"))
                .anySatisfy(s -> assertThat(s.labels()).contains("quantile=\"0.99\""));
        assertThat(PrometheusText.samples(text, JOB_METRIC_PREFIX + "duplicate_events")).isNotEmpty();
    }

    // ---- workload ----

    private String t(String topic) {
        return prefix + topic;
    }

    private String acct(int i) {
        return prefix + "acct-" + i;
    }

    private String spAcct(int i) {
        return prefix + "sp-" + i;
    }

    private static Instant at(int hours) {
        return BASE.plus(hours, ChronoUnit.HOURS);
    }

    private List<String> args(int parallelism) {
        List<String> args = new ArrayList<>(List.of(
                "--kafka.bootstrap-servers", kafka.bootstrapServers(),
                "--registry.url", registry.url(),
                "--kafka.group-id", prefix + "job",
                "--kafka.transactional-id-prefix", prefix + "tx",
                "--checkpoint.interval", "1 s",
                "--kafka.transaction-timeout", "5 min",
                "--watermark.idleness", "1 s",
                "--parallelism", String.valueOf(parallelism)));
        for (String topic : TOPICS) {
            args.add("--topic." + topic);
            args.add(t(topic));
        }
        return args;
    }

    private static SubscriptionEvent created(String account, Instant at) {
        return Events.subscription(account, SubscriptionEventType.CREATED, at).setSegment(Segment.SMB).setPlanId("starter")
                .setAmountMinor(4_900).setBillingInterval(BillingInterval.MONTHLY).setStartDate(at).build();
    }

    private List<UsageEvent> usage(int from, int to, long quantity, Instant at) {
        return IntStream.range(from, to).mapToObj(i -> Events.delta(acct(i), "api_calls", quantity, at)).toList();
    }

    private List<UsageEvent> spUsage(long quantity, Instant at) {
        return IntStream.range(0, SAVEPOINT_ACCOUNTS).mapToObj(i -> Events.delta(spAcct(i), "api_calls", quantity, at)).toList();
    }

    @SuppressWarnings("unchecked")
    private <T extends SpecificRecord> void produce(String topic, List<T> records) throws Exception {
        if (records.isEmpty()) {
            return;
        }
        Class<T> type = (Class<T>) records.get(0).getClass();
        ConfluentAvroSerializer<T> serializer = new ConfluentAvroSerializer<>(type, topic, RegistrySettings.of(registry.url()));
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
            for (T r : records) {
                String key = (String) r.get(r.getSchema().getField("accountId").pos());
                producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), serializer.serialize(r)));
            }
            producer.flush();
        }
    }

    private List<ExpansionSignal> readSignals(int expected, Duration timeout) {
        ConfluentAvroDecoder<ExpansionSignal> decoder = new ConfluentAvroDecoder<>(ExpansionSignal.class,
                RegistrySettings.of(registry.url()));
        return kafka.readCommitted(t("expansion-signals"), expected, timeout).stream()
                .map(r -> decoder.decode(r.value()).record()).toList();
    }

    /** Waits until the group's committed offsets on every partition of {@code topic} reach the end offsets. */
    private void awaitCommittedToEnd(String topic, String group, Duration timeout) throws TimeoutException {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            Waits.until("group " + group + " committed to the end of " + topic, timeout, () -> {
                try {
                    Map<TopicPartition, OffsetAndMetadata> committed =
                            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                    List<TopicPartition> parts = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
                    Map<TopicPartition, OffsetSpec> latest = parts.stream()
                            .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
                    var ends = admin.listOffsets(latest).all().get();
                    boolean done = parts.stream().allMatch(p -> committed.get(p) != null
                            && committed.get(p).offset() >= ends.get(p).offset());
                    return done ? Optional.of(true) : Optional.empty();
                } catch (Exception e) {
                    return Optional.empty();
                }
            });
        }
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
