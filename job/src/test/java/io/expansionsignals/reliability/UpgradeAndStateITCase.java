package io.expansionsignals.reliability;

import static io.expansionsignals.reliability.InfrastructureFaultsITCase.usageWithRegion;
import static io.expansionsignals.reliability.InfrastructureFaultsITCase.withRegion;
import static io.expansionsignals.reliability.SinkFaultsITCase.concat;
import static io.expansionsignals.testutils.Events.subscription;
import static io.expansionsignals.testutils.ReliabilityHarness.assertSameAsCleanRun;
import static io.expansionsignals.testutils.ReliabilityHarness.startJob;
import static org.assertj.core.api.Assertions.assertThat;

import io.expansionsignals.config.JobConfig;
import io.expansionsignals.schema.BillingInterval;
import io.expansionsignals.schema.DeadLetter;
import io.expansionsignals.schema.ExpansionSignal;
import io.expansionsignals.schema.ExpansionSignalType;
import io.expansionsignals.schema.MovementType;
import io.expansionsignals.schema.MrrMovement;
import io.expansionsignals.schema.SubscriptionEvent;
import io.expansionsignals.schema.SubscriptionEventType;
import io.expansionsignals.schema.UsageEvent;
import io.expansionsignals.testutils.Events;
import io.expansionsignals.testutils.ReliabilityHarness;
import io.expansionsignals.testutils.ReliabilityHarness.CleanRun;
import io.expansionsignals.testutils.ReliabilityHarness.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upgrades and state lifetime against the real broker and registry: stop-with-savepoint, then a
 * restore that meets input written with a newer writer schema, or a changed configuration and
 * parallelism; and the expiry of quiet accounts (cleared without a subscription, untouched with one).
 */
class UpgradeAndStateITCase {
    private static final int ACCOUNTS = 20;
    @RegisterExtension
    static final ReliabilityHarness h = ReliabilityHarness.perTestClass();

    private static void assertNoDeadLetters(Topics topics) {
        assertThat(h.read(topics.t("dead-letters"), DeadLetter.class, 1, Duration.ofSeconds(2))).isEmpty();
    }

    private static Configuration restoreFrom(String savepoint) {
        Configuration c = new Configuration();
        c.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        return c;
    }

    /** Phase one: subscriptions and usage to 0.8 processed, then stop-with-savepoint. */
    private static String firstPhase(Topics topics, JobConfig config, List<String> accounts, List<UsageEvent> first,
            Path savepoints) throws Exception {
        JobClient job = startJob(config, new Configuration());
        h.produce(topics.t("subscription-events"), SubscriptionEvent.class, Workload.created(accounts));
        assertThat(h.read(topics.t("mrr-movements"), MrrMovement.class, ACCOUNTS, Duration.ofSeconds(60))).hasSize(ACCOUNTS);
        h.produce(topics.t("usage-events"), UsageEvent.class, first);
        int firstSignals = new CleanRun().apply(config.engineSettings(), concat(Workload.created(accounts), first))
                .signals().size();
        assertThat(h.read(topics.t("expansion-signals"), ExpansionSignal.class, firstSignals, Duration.ofSeconds(60)))
                .hasSize(firstSignals);
        long start = System.nanoTime();
        String savepoint = job.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                .get();
        System.out.printf("[faults] stop-with-savepoint took %d ms%n", (System.nanoTime() - start) / 1_000_000);
        return savepoint;
    }

    @Test
    void restoredFromASavepointItDecodesInputOfANewerWriterSchemaAndCarriesStateOver(@TempDir Path savepoints)
            throws Exception {
        Topics topics = h.newTopics("savepoint-schema");
        JobConfig config = h.config(topics);
        List<String> accounts = Workload.accounts(ACCOUNTS);
        List<UsageEvent> first = Workload.usage(accounts, 0, 9);
        List<UsageEvent> second = Workload.usage(accounts, 9, 12);
        String savepoint = firstPhase(topics, config, accounts, first, savepoints);

        // while the job is down, a producer upgrades: the same events, with an extra optional field
        Schema newer = usageWithRegion();
        h.sendAll(topics.t("usage-events"), second.stream().map(UsageEvent::getAccountId).toList(),
                h.serializeWith(topics.t("usage-events"), newer, withRegion(newer, second)));
        long start = System.nanoTime();
        JobClient restored = startJob(config, restoreFrom(savepoint));
        try {
            CleanRun clean = new CleanRun().apply(config.engineSettings(), concat(Workload.created(accounts), first, second));
            List<ExpansionSignal> all = h.read(topics.t("expansion-signals"), ExpansionSignal.class, clean.signals().size(),
                    Duration.ofSeconds(90));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertSameAsCleanRun(all, clean);
            // state carried over: the limit is reached at 9 x 9,000 (before) + 3 x 9,000 (after the restore)
            assertThat(all).filteredOn(s -> s.getType() == ExpansionSignalType.LIMIT_REACHED).hasSize(ACCOUNTS)
                    .allSatisfy(s -> assertThat(s.getUsage()).isEqualTo(12 * Workload.DELTA));
            assertNoDeadLetters(topics);
            System.out.printf("[faults] savepoint + newer writer schema: %d records of the new schema applied, all %d signals"
                    + " %d ms after the restore started%n", second.size(), all.size(), millis);
        } finally {
            restored.cancel().get();
        }
    }

    @Test
    void restoredFromASavepointWithChangedConfigurationAndParallelismItLosesAndDuplicatesNothing(@TempDir Path savepoints)
            throws Exception {
        Topics topics = h.newTopics("savepoint-config");
        JobConfig config = h.config(topics);
        List<String> accounts = Workload.accounts(ACCOUNTS);
        List<UsageEvent> first = Workload.usage(accounts, 0, 9);
        List<UsageEvent> second = Workload.usage(accounts, 9, 12);
        String savepoint = firstPhase(topics, config, accounts, first, savepoints);

        h.produce(topics.t("usage-events"), UsageEvent.class, second);
        JobConfig changed = h.config(topics, "--parallelism", "1", "--signals.cooldown", "1 h");
        assertThat(changed.engineSettings().cooldownMillis).isEqualTo(Duration.ofHours(1).toMillis());
        JobClient restored = startJob(changed, restoreFrom(savepoint));
        try {
            CleanRun clean = new CleanRun().apply(config.engineSettings(), concat(Workload.created(accounts), first))
                    .apply(changed.engineSettings(), second);
            List<ExpansionSignal> all = h.read(topics.t("expansion-signals"), ExpansionSignal.class, clean.signals().size(),
                    Duration.ofSeconds(90));
            assertSameAsCleanRun(all, clean);
            assertNoDeadLetters(topics);
            System.out.printf("[faults] savepoint + parallelism 2->1 + signals.cooldown 24 h->1 h: %d signals, as the clean run%n",
                    all.size());
        } finally {
            restored.cancel().get();
        }
    }

    // ---- expiry of quiet accounts -----------------------------------------------------------------

    /** Day {@code d} (hour {@code hour}) of last calendar month: in the past, and days 0-22 share a month. */
    private static Instant day(int d, int hour) {
        LocalDate first = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).minusMonths(1);
        return first.atStartOfDay(ZoneOffset.UTC).toInstant().plus(d, ChronoUnit.DAYS).plus(hour, ChronoUnit.HOURS);
    }

    private static SubscriptionEvent created(String account, BillingInterval interval, long amount, Instant at) {
        return subscription(account, SubscriptionEventType.CREATED, at).setPlanId("starter").setAmountMinor(amount)
                .setBillingInterval(interval).setStartDate(at).build();
    }

    private static SubscriptionEvent cancellation(String account, SubscriptionEventType type, Instant at, Instant effective) {
        return subscription(account, type, at).setPlanId("starter").setAmountMinor(4_900).setEffectiveAt(effective).build();
    }

    private static List<MrrMovement> movements(Topics topics, int expected) {
        List<MrrMovement> m = h.read(topics.t("mrr-movements"), MrrMovement.class, expected, Duration.ofSeconds(60));
        assertThat(m).hasSize(expected);
        return m;
    }

    @Test
    void aQuietAccountWithoutASubscriptionIsClearedWhileOneWithASubscriptionIsNeverExpired() throws Exception {
        Topics topics = h.newTopics("expiry");
        // one subtask, so timers of all accounts fire in event-time order: a probe's timer firing
        // proves that every earlier timer (the expiry) fired before it
        JobConfig config = h.config(topics, "--parallelism", "1", "--state.quiet-account-expiry", "2 d",
                "--watermark.out-of-orderness", "1 min");
        JobClient job = startJob(config, new Configuration());
        try {
            h.produce(topics.t("subscription-events"), SubscriptionEvent.class, List.of(
                    created("lapsed", BillingInterval.MONTHLY, 4_900, day(0, 10)),
                    created("annual", BillingInterval.YEARLY, 58_800, day(0, 10)),
                    created("probe-4", BillingInterval.MONTHLY, 4_900, day(0, 10)),
                    cancellation("probe-4", SubscriptionEventType.CANCELLATION_SCHEDULED, day(0, 11), day(4, 0)),
                    created("probe-20", BillingInterval.MONTHLY, 4_900, day(0, 10)),
                    cancellation("probe-20", SubscriptionEventType.CANCELLATION_SCHEDULED, day(0, 11), day(20, 0))));
            movements(topics, 4); // NEW x 4
            h.produce(topics.t("usage-events"), UsageEvent.class, List.of(Events.delta("lapsed", "api_calls", 85_000, day(1, 10))));
            h.readUntil(topics.t("expansion-signals"), ExpansionSignal.class,
                    all -> all.stream().anyMatch(s -> s.getAccountId().equals("lapsed")), Duration.ofSeconds(60));
            h.produce(topics.t("subscription-events"), SubscriptionEvent.class, List.of(
                    cancellation("lapsed", SubscriptionEventType.CANCELED, day(1, 12), null)));
            movements(topics, 5); // + CHURN of lapsed, which is now quiet without a subscription

            // event time moves to day 5: lapsed's expiry (day 3, 12:00) fires, then probe-4's cancellation (day 4)
            h.produce(topics.t("usage-events"), UsageEvent.class, List.of(Events.delta("clock", "api_calls", 1, day(5, 0))));
            assertThat(movements(topics, 6)).filteredOn(m -> m.getAccountId().equals("probe-4")).extracting(MrrMovement::getType)
                    .containsExactly(MovementType.NEW, MovementType.CHURN);

            h.produce(topics.t("subscription-events"), SubscriptionEvent.class, List.of(
                    created("lapsed", BillingInterval.MONTHLY, 4_900, day(6, 10))));
            assertThat(movements(topics, 7)).filteredOn(m -> m.getAccountId().equals("lapsed")).extracting(MrrMovement::getType)
                    .as("the formerly-active marker outlived the cleared state").containsExactly(
                            MovementType.NEW, MovementType.CHURN, MovementType.REACTIVATION);
            h.produce(topics.t("usage-events"), UsageEvent.class, List.of(
                    Events.delta("lapsed", "api_calls", 20_000, day(6, 11)), Events.delta("lapsed", "api_calls", 70_000, day(7, 10))));

            // event time moves to day 21, far past 2 days of silence of the annual account
            h.produce(topics.t("usage-events"), UsageEvent.class, List.of(Events.delta("clock", "api_calls", 1, day(21, 0))));
            assertThat(movements(topics, 8)).filteredOn(m -> m.getAccountId().equals("probe-20")).extracting(MrrMovement::getType)
                    .containsExactly(MovementType.NEW, MovementType.CHURN);
            h.produce(topics.t("usage-events"), UsageEvent.class, List.of(Events.delta("annual", "api_calls", 85_000, day(22, 10))));

            List<ExpansionSignal> signals = h.readUntil(topics.t("expansion-signals"), ExpansionSignal.class,
                    all -> all.stream().anyMatch(s -> s.getAccountId().equals("annual"))
                            && all.stream().anyMatch(s -> s.getAccountId().equals("lapsed") && s.getUsage() != null
                                    && s.getUsage() >= 90_000),
                    Duration.ofSeconds(60));
            // lapsed after reactivation: its month's usage started again from zero (20,000 + 70,000), so
            // its state was cleared; kept state would have made 85,000 + 90,000 = 175,000, past the limit
            assertThat(signals).filteredOn(s -> s.getAccountId().equals("lapsed") && !s.getTriggeredAt().isBefore(day(6, 0)))
                    .isNotEmpty()
                    .allSatisfy(s -> assertThat(s.getUsage()).isLessThanOrEqualTo(90_000))
                    .anySatisfy(s -> {
                        assertThat(s.getType()).isEqualTo(ExpansionSignalType.USAGE_THRESHOLD);
                        assertThat(s.getUsage()).isEqualTo(90_000);
                    });
            // annual: silent for three weeks with an active subscription, still on its plan
            assertThat(signals).filteredOn(s -> s.getAccountId().equals("annual")
                            && s.getType() == ExpansionSignalType.USAGE_THRESHOLD)
                    .singleElement().satisfies(s -> {
                        assertThat(s.getPlanId()).isEqualTo("starter");
                        assertThat(s.getLimit()).isEqualTo(100_000);
                        assertThat(s.getUsage()).isEqualTo(85_000);
                        assertThat(s.getLevel()).isEqualTo(0.8);
                    });
            System.out.printf("[faults] expiry: lapsed account cleared after 2 d of event-time silence (reactivated as"
                    + " REACTIVATION, usage restarted at 0); annual account silent 22 d kept its plan%n");
        } finally {
            job.cancel().get();
        }
    }
}
