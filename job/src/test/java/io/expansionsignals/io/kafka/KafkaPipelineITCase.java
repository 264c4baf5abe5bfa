package io.expansionsignals.io.kafka;

import static io.expansionsignals.testutils.Events.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import io.expansionsignals.config.JobConfig;
import io.expansionsignals.schema.BillingInterval;
import io.expansionsignals.schema.DeadLetter;
import io.expansionsignals.schema.DeadLetterReason;
import io.expansionsignals.schema.EngagementEvent;
import io.expansionsignals.schema.ExpansionSignal;
import io.expansionsignals.schema.MrrMovement;
import io.expansionsignals.schema.Segment;
import io.expansionsignals.schema.SubscriptionEvent;
import io.expansionsignals.schema.SubscriptionEventType;
import io.expansionsignals.schema.UsageEvent;
import io.expansionsignals.testutils.Events;
import io.expansionsignals.testutils.IndependentConfluentReader;
import io.expansionsignals.testutils.ReliabilityHarness;
import io.expansionsignals.testutils.ReliabilityHarness.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production job (KafkaJob) against a real in-process KRaft broker and a real Confluent-API
 * schema registry, read back with read_committed: the scripted scenario, dead letters, producer
 * duplicates, a consumer that knows only the wire format, and recovery from a checkpoint after the
 * job was killed mid-stream with nothing lost and nothing duplicated.
 */
class KafkaPipelineITCase {
    @RegisterExtension
    static final ReliabilityHarness h = ReliabilityHarness.perTestClass();
    /** Event times a few days ago so nothing is "far in the future" and the month is known. */
    private static final Instant BASE = Events.recentMidnight();

    private Topics newTopics() throws Exception {
        return h.newTopics("it");
    }

    private JobConfig config(Topics topics, String... extra) {
        return h.config(topics, extra);
    }

    private <T extends SpecificRecord> void produce(String topic, Class<T> type, List<T> records) throws Exception {
        h.produce(topic, type, records);
    }

    private <T extends SpecificRecord> List<T> read(String topic, Class<T> type, int expected, Duration timeout) {
        return h.read(topic, type, expected, timeout);
    }

    private static Instant at(int hours) {
        return BASE.plus(hours, ChronoUnit.HOURS);
    }

    private static SubscriptionEvent created(String account, Segment segment) {
        return subscription(account, SubscriptionEventType.CREATED, at(0)).setSegment(segment).setPlanId("starter")
                .setAmountMinor(4_900).setBillingInterval(BillingInterval.MONTHLY).setStartDate(at(0)).build();
    }

    @Test
    void aScriptedScenarioOverKafkaGivesExactlyTheExpectedSignalsAndDeadLetters() throws Exception {
        Topics topics = newTopics();
        produce(topics.t("subscription-events"), SubscriptionEvent.class, List.of(
                created("acme", Segment.SMB), created("beta", Segment.ENTERPRISE)));
        UsageEvent retried = Events.delta("acme", "api_calls", 85_000, at(1)); // starter: 100,000 api_calls
        produce(topics.t("usage-events"), UsageEvent.class, List.of(retried, retried,
                Events.delta("acme", "api_calls", 20_000, at(2))));
        produce(topics.t("engagement-events"), EngagementEvent.class, List.of(Events.activeUsers("beta", 10, at(3))));
        // hostile input: every kind of record that must end in dead letters, not in state
        byte[] garbage = {1, 2, 3, 4, 5, 6, 7};
        h.kafka.send(topics.t("usage-events"), "acme".getBytes(StandardCharsets.UTF_8), garbage);
        byte[] unknownId = {0, 0, 0x0f, 0x42, 0x3f, 2, 4};
        h.kafka.send(topics.t("usage-events"), "acme".getBytes(StandardCharsets.UTF_8), unknownId);
        produce(topics.t("subscription-events"), SubscriptionEvent.class, List.of(
                subscription("acme", SubscriptionEventType.PLAN_CHANGED, at(4)).setPlanId("starter").setAmountMinor(-5).build(),
                subscription("acme", SubscriptionEventType.PLAN_CHANGED, at(4)).setPlanId("starter").setCurrency("XXX").build()));
        produce(topics.t("usage-events"), UsageEvent.class, List.of(
                Events.delta("acme", "api_calls", 1, Instant.parse("2100-01-01T00:00:00Z"))));

        JobClient job = ReliabilityHarness.startJob(config(topics), new Configuration());
        try {
            List<ExpansionSignal> signals = read(topics.t("expansion-signals"), ExpansionSignal.class, 2, Duration.ofSeconds(60));
            assertThat(signals).extracting(s -> s.getAccountId() + " " + s.getType() + " " + s.getLevel())
                    .containsExactlyInAnyOrder("acme USAGE_THRESHOLD 0.8", "acme LIMIT_REACHED 1.0", "beta SEAT_THRESHOLD 1.0");
            // 85,000 + 20,000: the retried 85,000 was applied once, or 0.8 and 1.0 would have fired together
            assertThat(signals).filteredOn(s -> s.getType().name().equals("LIMIT_REACHED")).singleElement()
                    .satisfies(s -> assertThat(s.getUsage()).isEqualTo(105_000));

            List<DeadLetter> dead = read(topics.t("dead-letters"), DeadLetter.class, 5, Duration.ofSeconds(30));
            assertThat(dead).extracting(DeadLetter::getReason).containsExactlyInAnyOrder(DeadLetterReason.UNDECODABLE,
                    DeadLetterReason.UNKNOWN_SCHEMA_ID, DeadLetterReason.INVALID_VALUE, DeadLetterReason.UNKNOWN_CURRENCY,
                    DeadLetterReason.FUTURE_TIMESTAMP);
            assertThat(dead).filteredOn(d -> d.getReason() == DeadLetterReason.UNDECODABLE).singleElement().satisfies(d -> {
                assertThat(d.getSourceTopic()).isEqualTo(topics.t("usage-events"));
                assertThat(d.getValue().array()).isEqualTo(garbage);
                assertThat(new String(d.getKey().array(), StandardCharsets.UTF_8)).isEqualTo("acme");
                assertThat(d.getOffset()).isGreaterThanOrEqualTo(0);
            });
            assertThat(dead).filteredOn(d -> d.getReason() == DeadLetterReason.INVALID_VALUE).singleElement()
                    .satisfies(d -> assertThat(d.getDetail()).contains("amountMinor"));

            List<MrrMovement> movements = read(topics.t("mrr-movements"), MrrMovement.class, 2, Duration.ofSeconds(30));
            assertThat(movements).extracting(m -> m.getAccountId() + " " + m.getType() + " " + m.getDeltaMinor())
                    .containsExactlyInAnyOrder("acme NEW 4900", "beta NEW 4900");

            // A consumer that knows only the documented wire format decodes our signals.
            IndependentConfluentReader independent = new IndependentConfluentReader(h.registry.url());
            ConsumerRecord<byte[], byte[]> raw = h.kafka.readCommitted(topics.t("expansion-signals"), 3, Duration.ofSeconds(10)).get(0);
            GenericRecord decoded = independent.read(raw.value());
            assertThat(decoded.get("accountId").toString()).isEqualTo(new String(raw.key(), StandardCharsets.UTF_8));
            assertThat(decoded.get("signalId").toString()).isIn(signals.stream().map(ExpansionSignal::getSignalId).toList());
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void aCatalogPublishedOnThePlanCatalogTopicTakesEffectWithoutARestart() throws Exception {
        Topics topics = newTopics();
        JobClient job = ReliabilityHarness.startJob(config(topics), new Configuration());
        try {
            // v1 (bundled) has no "team-pro": rejected, then v2 adds it, and an invalid v3 is refused
            produce(topics.t("subscription-events"), SubscriptionEvent.class, List.of(
                    subscription("early", SubscriptionEventType.CREATED, at(0)).setPlanId("team-pro").setAmountMinor(9_900).build()));
            assertThat(read(topics.t("dead-letters"), DeadLetter.class, 1, Duration.ofSeconds(60)))
                    .singleElement().satisfies(d -> assertThat(d.getReason()).isEqualTo(DeadLetterReason.UNKNOWN_PLAN));
            var bundled = io.expansionsignals.config.CatalogLoader.load(null);
            var plans = new ArrayList<>(bundled.catalog().plans());
            plans.add(new io.expansionsignals.domain.Plan("team-pro", 2, 9_900, "USD", Map.of("api_calls", 1_000L), null, List.of()));
            var v2 = io.expansionsignals.config.CatalogRecords.toRecord(
                    new io.expansionsignals.domain.PlanCatalog(2, plans, bundled.catalog().addOns()), bundled.fx());
            var v3 = io.expansionsignals.schema.PlanCatalogUpdate.newBuilder(v2).setVersion(3).setPlans(List.of()).build();
            h.sendAll(topics.t("plan-catalog"), List.of("catalog", "catalog"), List.of(
                    h.serialize(topics.t("plan-catalog"), io.expansionsignals.schema.PlanCatalogUpdate.class, v2),
                    h.serialize(topics.t("plan-catalog"), io.expansionsignals.schema.PlanCatalogUpdate.class, v3)));
            // the broadcast and the account inputs are separate streams: retry until the new plan is in force
            List<MrrMovement> movements = List.of();
            for (int attempt = 0; attempt < 20 && movements.isEmpty(); attempt++) {
                produce(topics.t("subscription-events"), SubscriptionEvent.class, List.of(
                        subscription("late", SubscriptionEventType.CREATED, at(0)).setPlanId("team-pro").setAmountMinor(9_900)
                                .setEventId("late-created").build()));
                movements = read(topics.t("mrr-movements"), MrrMovement.class, 1, Duration.ofSeconds(3));
            }
            assertThat(movements).singleElement().satisfies(m -> assertThat(m.getAccountId()).isEqualTo("late"));
            produce(topics.t("usage-events"), UsageEvent.class, List.of(Events.delta("late", "api_calls", 900, at(1))));
            assertThat(read(topics.t("expansion-signals"), ExpansionSignal.class, 1, Duration.ofSeconds(30)))
                    .singleElement().satisfies(s -> assertThat(s.getLimit()).isEqualTo(1_000));
            assertThat(read(topics.t("dead-letters"), DeadLetter.class, 2, Duration.ofSeconds(30)))
                    .extracting(DeadLetter::getReason).contains(DeadLetterReason.INVALID_CATALOG);
        } finally {
            job.cancel().get();
        }
    }

    /**
     * Restores with the default transaction naming (POOLING); the killed run named its transactions
     * either way, so a job started before the default changed switches on its next restore too.
     */
    @ParameterizedTest(name = "killed run's transaction naming: {0}")
    @ValueSource(strings = {"POOLING", "INCREMENTING"})
    void killedMidStreamAndRestoredFromItsCheckpointItLosesAndDuplicatesNothing(String killedRunNaming, @TempDir Path checkpoints)
            throws Exception {
        Topics topics = newTopics();
        List<SubscriptionEvent> subs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            subs.add(created("acct-" + i, i % 2 == 0 ? Segment.SMB : Segment.ENTERPRISE));
        }
        produce(topics.t("subscription-events"), SubscriptionEvent.class, subs);
        produce(topics.t("usage-events"), UsageEvent.class, usageBurst(0, 10, 85_000)); // 0.8 for acct-0..9

        Configuration retain = new Configuration();
        retain.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        retain.setString("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
        JobClient first = ReliabilityHarness.startJob(config(topics, "--kafka.transaction-naming", killedRunNaming), retain);
        assertThat(read(topics.t("expansion-signals"), ExpansionSignal.class, 10, Duration.ofSeconds(60))).hasSize(10);
        // More input while the job runs; it dies before (some of) it is committed.
        produce(topics.t("usage-events"), UsageEvent.class, usageBurst(10, 20, 85_000));
        Thread.sleep(1_500);
        first.cancel().get(); // a hard stop: open transactions are aborted, state goes back to the last checkpoint
        produce(topics.t("usage-events"), UsageEvent.class, usageBurst(0, 20, 20_000)); // 1.0 for all 20

        Configuration restore = new Configuration();
        restore.addAll(retain);
        restore.set(StateRecoveryOptions.SAVEPOINT_PATH, ReliabilityHarness.latestCheckpoint(checkpoints));
        JobClient second = ReliabilityHarness.startJob(config(topics), restore);
        try {
            List<ExpansionSignal> all = read(topics.t("expansion-signals"), ExpansionSignal.class, 40, Duration.ofSeconds(90));
            assertThat(all).extracting(ExpansionSignal::getSignalId).doesNotHaveDuplicates();
            assertThat(all).extracting(s -> s.getAccountId() + " " + s.getType()).hasSize(40)
                    .containsAll(expectedPairs());
        } finally {
            second.cancel().get();
        }
    }

    private static List<String> expectedPairs() {
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            pairs.add("acct-" + i + " USAGE_THRESHOLD");
            pairs.add("acct-" + i + " LIMIT_REACHED");
        }
        return pairs;
    }

    private static List<UsageEvent> usageBurst(int from, int to, long quantity) {
        List<UsageEvent> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(Events.delta("acct-" + i, "api_calls", quantity, at(1 + (quantity > 50_000 ? 0 : 1))));
        }
        return out;
    }
}
