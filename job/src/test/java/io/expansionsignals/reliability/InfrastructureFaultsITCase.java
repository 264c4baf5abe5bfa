package io.expansionsignals.reliability;

import static io.expansionsignals.reliability.SinkFaultsITCase.concat;
import static io.expansionsignals.testutils.ReliabilityHarness.assertSameAsCleanRun;
import static io.expansionsignals.testutils.ReliabilityHarness.latestPerAccount;
import static io.expansionsignals.testutils.ReliabilityHarness.await;
import static io.expansionsignals.testutils.ReliabilityHarness.faultySignals;
import static io.expansionsignals.testutils.ReliabilityHarness.fixedDelayRestarts;
import static io.expansionsignals.testutils.ReliabilityHarness.startJob;
import static io.expansionsignals.testutils.ReliabilityHarness.status;
import static org.assertj.core.api.Assertions.assertThat;

import io.expansionsignals.config.JobConfig;
import io.expansionsignals.schema.DeadLetter;
import io.expansionsignals.schema.AccountHealth;
import io.expansionsignals.schema.ExpansionSignal;
import io.expansionsignals.schema.MrrMovement;
import io.expansionsignals.schema.SubscriptionEvent;
import io.expansionsignals.schema.UsageEvent;
import io.expansionsignals.testutils.FaultInjectingSink;
import io.expansionsignals.testutils.ReliabilityHarness;
import io.expansionsignals.testutils.ReliabilityHarness.CleanRun;
import io.expansionsignals.testutils.ReliabilityHarness.Topics;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Outages of what the job depends on, with the real broker and registry: the broker restarting
 * under a running job, the registry down at start, down mid-stream while records with a writer
 * schema id the job has never seen arrive, and down for longer than registry.retry-timeout. After
 * each, read_committed output equals the pure engine's clean run, with no duplicates and no dead
 * letters (so nothing became UNKNOWN_SCHEMA_ID).
 */
class InfrastructureFaultsITCase {
    private static final int ACCOUNTS = 20;
    @RegisterExtension
    static final ReliabilityHarness h = ReliabilityHarness.perTestClass();

    private static void subscribe(Topics topics, List<String> accounts) throws Exception {
        h.produce(topics.t("subscription-events"), SubscriptionEvent.class, Workload.created(accounts));
        assertThat(h.read(topics.t("mrr-movements"), MrrMovement.class, accounts.size(), Duration.ofSeconds(60)))
                .hasSize(accounts.size());
    }

    private static void assertNoDeadLetters(Topics topics) {
        assertThat(h.read(topics.t("dead-letters"), DeadLetter.class, 1, Duration.ofSeconds(2))).isEmpty();
    }

    private static List<String> keys(List<UsageEvent> events) {
        return events.stream().map(UsageEvent::getAccountId).toList();
    }

    @Test
    void theBrokerRestartingUnderARunningJobLosesAndDuplicatesNothing() throws Exception {
        Topics topics = h.newTopics("broker");
        JobConfig config = h.config(topics);
        FaultInjectingSink.Plan observer = FaultInjectingSink.plan(topics.prefix(), List.of(), 0);
        JobClient job = startJob(config, fixedDelayRestarts(20, Duration.ofSeconds(1)), faultySignals(topics.prefix()));
        try {
            List<String> accounts = Workload.accounts(ACCOUNTS);
            subscribe(topics, accounts);
            List<UsageEvent> first = Workload.usage(accounts, 0, 9);
            List<UsageEvent> second = Workload.usage(accounts, 9, 12);
            byte[][] secondBytes = second.stream().map(e -> h.serialize(topics.t("usage-events"), UsageEvent.class, e))
                    .toArray(byte[][]::new);
            h.produce(topics.t("usage-events"), UsageEvent.class, first);
            int firstSignals = new CleanRun().apply(config.engineSettings(), concat(Workload.created(accounts), first))
                    .signals().size();
            assertThat(h.read(topics.t("expansion-signals"), ExpansionSignal.class, firstSignals, Duration.ofSeconds(60)))
                    .hasSize(firstSignals);

            long down = System.nanoTime();
            h.kafka.stopBroker();
            Thread.sleep(5_000); // the outage itself, not an assertion
            h.kafka.startBroker();
            long up = System.nanoTime();
            h.sendAll(topics.t("usage-events"), keys(second), List.of(secondBytes));
            CleanRun clean = new CleanRun().apply(config.engineSettings(), concat(Workload.created(accounts), first, second));
            List<ExpansionSignal> all = h.read(topics.t("expansion-signals"), ExpansionSignal.class, clean.signals().size(),
                    Duration.ofSeconds(120));
            long done = System.nanoTime();
            assertSameAsCleanRun(all, clean);
            assertNoDeadLetters(topics);
            assertThat(status(job)).isEqualTo(JobStatus.RUNNING);
            System.out.printf("[faults] broker restart: down %d ms, all %d signals committed %d ms after the broker was back,"
                    + " %d job restart(s)%n", (up - down) / 1_000_000, all.size(), (done - up) / 1_000_000,
                    observer.maxAttempt.get());
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void theRegistryDownAtStartAndBackWithinTheRetryTimeoutDropsNothing() throws Exception {
        Topics topics = h.newTopics("registry-start");
        JobConfig config = h.config(topics, "--registry.retry-timeout", "120 s");
        List<String> accounts = Workload.accounts(ACCOUNTS);
        List<SubscriptionEvent> subs = Workload.created(accounts);
        List<UsageEvent> usage = Workload.usage(accounts, 0, 12);
        // serialized while the registry is up (as another producer would have); the job has never seen the ids
        List<byte[]> subBytes = subs.stream().map(e -> h.serialize(topics.t("subscription-events"), SubscriptionEvent.class, e))
                .toList();
        List<byte[]> usageBytes = usage.stream().map(e -> h.serialize(topics.t("usage-events"), UsageEvent.class, e)).toList();
        FaultInjectingSink.Plan observer = FaultInjectingSink.plan(topics.prefix(), List.of(), 0);

        h.registry.stop();
        JobClient job = null;
        long down = System.nanoTime();
        try {
            job = startJob(config, fixedDelayRestarts(5, Duration.ofSeconds(1)), faultySignals(topics.prefix()));
            h.sendAll(topics.t("subscription-events"), subs.stream().map(SubscriptionEvent::getAccountId).toList(), subBytes);
            JobClient running = job;
            await("the job to be running without its registry", Duration.ofSeconds(30),
                    () -> status(running) == JobStatus.RUNNING);
            Thread.sleep(4_000); // the outage, well inside registry.retry-timeout
        } finally {
            h.registry.restart();
        }
        long up = System.nanoTime();
        try {
            assertThat(h.read(topics.t("mrr-movements"), MrrMovement.class, ACCOUNTS, Duration.ofSeconds(60))).hasSize(ACCOUNTS);
            h.sendAll(topics.t("usage-events"), keys(usage), usageBytes);
            CleanRun clean = new CleanRun().apply(config.engineSettings(), concat(subs, usage));
            List<ExpansionSignal> all = h.read(topics.t("expansion-signals"), ExpansionSignal.class, clean.signals().size(),
                    Duration.ofSeconds(90));
            assertSameAsCleanRun(all, clean);
            assertNoDeadLetters(topics);
            System.out.printf("[faults] registry down at start: %d ms down, %d signals, %d job restart(s)%n",
                    (up - down) / 1_000_000, all.size(), observer.maxAttempt.get());
        } finally {
            job.cancel().get();
        }
    }

    /** The same usage events as written by a newer producer: UsageEvent plus an optional "region". */
    static Schema usageWithRegion() {
        String json = UsageEvent.getClassSchema().toString();
        int end = json.lastIndexOf(']');
        return new Schema.Parser().parse(json.substring(0, end)
                + ",{\"name\":\"region\",\"type\":[\"null\",\"string\"],\"default\":null}" + json.substring(end));
    }

    static List<GenericRecord> withRegion(Schema schema, List<UsageEvent> events) throws Exception {
        List<GenericRecord> out = new ArrayList<>();
        for (UsageEvent e : events) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            BinaryEncoder enc = EncoderFactory.get().binaryEncoder(bytes, null);
            new SpecificDatumWriter<UsageEvent>(UsageEvent.getClassSchema()).write(e, enc);
            enc.flush();
            GenericRecord r = new GenericDatumReader<GenericRecord>(UsageEvent.getClassSchema(), schema)
                    .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
            r.put("region", "eu-west");
            out.add(r);
        }
        return out;
    }

    private void registryDownMidStream(String label, Duration retryTimeout, boolean expectRestart) throws Exception {
        Topics topics = h.newTopics(label);
        JobConfig config = h.config(topics, "--registry.retry-timeout", retryTimeout.toSeconds() + " s");
        FaultInjectingSink.Plan observer = FaultInjectingSink.plan(topics.prefix(), List.of(), 0);
        JobClient job = startJob(config, fixedDelayRestarts(30, Duration.ofSeconds(1)), faultySignals(topics.prefix()));
        try {
            List<String> accounts = Workload.accounts(ACCOUNTS);
            subscribe(topics, accounts);
            List<UsageEvent> first = Workload.usage(accounts, 0, 9);
            List<UsageEvent> second = Workload.usage(accounts, 9, 12);
            h.produce(topics.t("usage-events"), UsageEvent.class, first);
            int firstSignals = new CleanRun().apply(config.engineSettings(), concat(Workload.created(accounts), first))
                    .signals().size();
            assertThat(h.read(topics.t("expansion-signals"), ExpansionSignal.class, firstSignals, Duration.ofSeconds(60)))
                    .hasSize(firstSignals);
            Schema newer = usageWithRegion();
            List<byte[]> secondBytes = h.serializeWith(topics.t("usage-events"), newer, withRegion(newer, second));

            long down = System.nanoTime();
            h.registry.stop();
            try {
                h.sendAll(topics.t("usage-events"), keys(second), secondBytes);
                if (expectRestart) {
                    await("a restart after registry.retry-timeout", Duration.ofSeconds(60), () -> observer.maxAttempt.get() >= 1);
                } else {
                    Thread.sleep(5_000); // the outage, inside registry.retry-timeout
                    assertThat(status(job)).isEqualTo(JobStatus.RUNNING);
                }
            } finally {
                h.registry.restart();
            }
            long up = System.nanoTime();
            CleanRun clean = new CleanRun().apply(config.engineSettings(), concat(Workload.created(accounts), first, second));
            List<ExpansionSignal> all = h.read(topics.t("expansion-signals"), ExpansionSignal.class, clean.signals().size(),
                    Duration.ofSeconds(120));
            long done = System.nanoTime();
            assertSameAsCleanRun(all, clean);
            // account-health, compacted: after the restart each account's last committed snapshot is the clean run's
            // last one (snapshots held until a barrier are in that checkpoint's transaction, or replayed)
            assertThat(h.readUntil(topics.t("account-health"), AccountHealth.class,
                    read -> latestPerAccount(read).equals(clean.latestHealth()), Duration.ofSeconds(60))).isNotEmpty();
            assertNoDeadLetters(topics);
            if (expectRestart) {
                assertThat(observer.maxAttempt.get()).as("restarted").isGreaterThanOrEqualTo(1);
            } else {
                assertThat(observer.maxAttempt.get()).as("retried in place, no restart").isZero();
            }
            System.out.printf("[faults] registry down mid-stream (%s, retry-timeout %s): down %d ms, %d job restart(s),"
                    + " all %d signals %d ms after the registry was back%n", label, retryTimeout, (up - down) / 1_000_000,
                    observer.maxAttempt.get(), all.size(), (done - up) / 1_000_000);
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void theRegistryDownMidStreamWhileANewWriterSchemaArrivesIsRetriedAndNothingIsDeadLettered() throws Exception {
        registryDownMidStream("registry-mid", Duration.ofSeconds(120), false);
    }

    @Test
    void theRegistryDownLongerThanTheRetryTimeoutRestartsTheJobAndStillLosesNothing() throws Exception {
        registryDownMidStream("registry-long", Duration.ofSeconds(3), true);
    }
}
