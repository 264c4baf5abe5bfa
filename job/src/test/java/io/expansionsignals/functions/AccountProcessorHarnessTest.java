package io.expansionsignals.functions;

import static io.expansionsignals.testutils.Events.created;
import static io.expansionsignals.testutils.Events.day;
import static io.expansionsignals.testutils.Events.delta;
import static io.expansionsignals.testutils.Events.subscription;
import static io.expansionsignals.functions.AccountHarness.processor;
import static io.expansionsignals.functions.AccountHarness.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.expansionsignals.domain.AccountState;
import io.expansionsignals.domain.EngineSettings;
import io.expansionsignals.domain.Milestones;
import io.expansionsignals.schema.AccountHealth;
import io.expansionsignals.schema.BillingInterval;
import io.expansionsignals.schema.ExpansionSignal;
import io.expansionsignals.schema.MovementType;
import io.expansionsignals.schema.MrrMovement;
import io.expansionsignals.schema.SubscriptionEventType;
import io.expansionsignals.schema.UsageEvent;
import io.expansionsignals.schema.internal.DecodedRecord;
import io.expansionsignals.testutils.Catalogs;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The keyed operator under Flink's own test harness: timers on watermarks, de-duplication, snapshot and restore. */
class AccountProcessorHarnessTest {
    private static final EngineSettings SETTINGS = EngineSettings.builder().fx(Catalogs.fx()).catalog(Catalogs.standard())
            .forecastMinElapsed(Duration.ofDays(40)).build();
    private KeyedBroadcastOperatorTestHarness<String, DecodedRecord, DecodedRecord, ExpansionSignal> harness;

    private static KeyedBroadcastOperatorTestHarness<String, DecodedRecord, DecodedRecord, ExpansionSignal> newHarness() throws Exception {
        return AccountHarness.create(SETTINGS);
    }

    @BeforeEach
    void setUp() throws Exception {
        harness = newHarness();
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private List<MrrMovement> movements() {
        return harness.getSideOutput(OutputTags.MOVEMENTS) == null ? List.of()
                : harness.getSideOutput(OutputTags.MOVEMENTS).stream().map(StreamRecord::getValue).toList();
    }

    private static List<ExpansionSignal> signals(KeyedBroadcastOperatorTestHarness<String, DecodedRecord, DecodedRecord, ExpansionSignal> h) {
        return h.extractOutputValues();
    }

    @Test
    void aScheduledCancellationTakesEffectWhenTheWatermarkPassesItsEffectiveTime() throws Exception {
        send(harness, created("acme", day(0), 10_000, Map.of()), day(0));
        send(harness, subscription("acme", SubscriptionEventType.CANCELLATION_SCHEDULED, day(2)).setEffectiveAt(day(20)).build(), day(2));
        harness.watermark(day(19).toEpochMilli());
        assertThat(movements()).extracting(MrrMovement::getType).containsExactly(MovementType.NEW);
        harness.watermark(day(20).toEpochMilli());
        assertThat(movements()).extracting(MrrMovement::getType).containsExactly(MovementType.NEW, MovementType.CHURN);
        assertThat(movements().get(1).getOccurredAt()).isEqualTo(day(20));
    }

    @Test
    void milestoneTimersFireOnTheWatermarkAndOnlyOnePendingTimerIsKept() throws Exception {
        send(harness, created("acme", day(0), 10_000, Map.of()), day(0));
        for (int d = 1; d < 10; d++) {
            send(harness, delta("acme", "api_calls", 10, day(d)), day(d));
        }
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        harness.watermark(day(29).toEpochMilli());
        assertThat(signals(harness)).isEmpty();
        harness.watermark(day(30).toEpochMilli());
        assertThat(signals(harness)).singleElement().satisfies(s -> assertThat(s.getMilestone()).isEqualTo(Milestones.DAY_30));
        assertThat(harness.numEventTimeTimers()).isEqualTo(1); // the day-90 review is next
    }

    @Test
    void aTimerLeftOverFromAnEarlierScheduleFiresWithoutWork() throws Exception {
        // every drift of the score would make a snapshot, so work done by the leftover timer shows
        var h = AccountHarness.create(EngineSettings.builder().fx(Catalogs.fx()).catalog(Catalogs.standard()).snapshotScoreStep(0.1).build());
        h.open();
        send(h, created("acme", day(0), 10_000, Map.of()), day(0)); // day-30 check-in due
        send(h, subscription("acme", SubscriptionEventType.CREATED, day(1)).setSubscriptionId("acme-sub-2")
                .setStartDate(day(1)).setBillingInterval(BillingInterval.YEARLY).setRenewalDate(day(110)).build(), day(1));
        // renewal preparation due on day 20
        send(h, subscription("acme", SubscriptionEventType.CANCELLATION_SCHEDULED, day(2)).setSubscriptionId("acme-sub-2")
                .setEffectiveAt(day(10)).build(), day(2)); // no renewal preparation any more; a cancellation on day 10
        assertThat(h.numEventTimeTimers()).isEqualTo(3); // days 10, 20, 30: earlier timers are added, later ones kept
        h.watermark(day(10).toEpochMilli());
        int healthBefore = h.getSideOutput(OutputTags.HEALTH).size();
        int movementsBefore = h.getSideOutput(OutputTags.MOVEMENTS).size();

        h.watermark(day(20).toEpochMilli()); // the day-20 timer has nothing to do
        assertThat(h.numEventTimeTimers()).isEqualTo(1);
        assertThat(AccountHarness.processor(h).timersFired()).containsExactly(1, 1); // the day-10 cancellation was due
        assertThat(h.getSideOutput(OutputTags.HEALTH)).hasSize(healthBefore);
        assertThat(h.getSideOutput(OutputTags.MOVEMENTS)).hasSize(movementsBefore);
        assertThat(signals(h)).isEmpty();

        h.watermark(day(30).toEpochMilli()); // the day-30 timer does
        assertThat(signals(h)).singleElement().satisfies(s -> assertThat(s.getMilestone()).isEqualTo(Milestones.DAY_30));
        assertThat(AccountHarness.processor(h).timersFired()).containsExactly(2, 1);
        assertThat(h.getSideOutput(OutputTags.HEALTH)).hasSizeGreaterThan(healthBefore);
        h.close();
    }

    @Test
    void aWatermarkJumpDoesAnAccountsDueWorkInOneFiringWithTheOutputsOfOneFiringPerStep() throws Exception {
        var stepwise = newHarness();
        var jump = newHarness();
        List<Object> events = List.of(created("acme", day(0), 10_000, Map.of()),
                subscription("acme", SubscriptionEventType.CREATED, day(1)).setSubscriptionId("acme-sub-2")
                        .setStartDate(day(1)).setBillingInterval(BillingInterval.YEARLY).setRenewalDate(day(300)).build(),
                subscription("acme", SubscriptionEventType.CANCELLATION_SCHEDULED, day(2)).setSubscriptionId("acme-sub-2")
                        .setEffectiveAt(day(150)).build(),
                created("beta", day(40), 5_000, Map.of()));
        for (var h : List.of(stepwise, jump)) {
            h.open();
            sendAll(h, events, 0, 1, 2, 40);
        }
        for (int d = 1; d <= 400; d++) {
            stepwise.watermark(day(d).toEpochMilli()); // at most one step of an account's work per watermark
        }
        jump.watermark(day(400).toEpochMilli()); // event time jumps: every step in one advance

        assertThat(signals(stepwise)).extracting(ExpansionSignal::getMilestone)
                .containsExactly(Milestones.DAY_30, Milestones.DAY_30, Milestones.DAY_90, Milestones.DAY_90,
                        Milestones.DAY_180, Milestones.DAY_180);
        assertThat(signals(jump)).containsExactlyInAnyOrderElementsOf(signals(stepwise));
        assertSameOutputsPerAccount(jump, stepwise, "acme", "beta");
        assertThat(values(jump, OutputTags.MOVEMENTS)).extracting(MrrMovement::getType).contains(MovementType.CONTRACTION);
        // acme: days 30, 90, 150 (the cancellation), 180; beta: days 70, 130, 220: two firings did all seven
        assertThat(processor(stepwise).timersFired()[0]).isEqualTo(7);
        assertThat(processor(stepwise).timersCaughtUp()).isZero();
        assertThat(processor(jump).timersFired()[0]).isEqualTo(2);
        assertThat(processor(jump).timersCaughtUp()).isEqualTo(5);
        assertThat(jump.numEventTimeTimers()).isEqualTo(stepwise.numEventTimeTimers());
        stepwise.close();
        jump.close();
    }

    @Test
    void withInterruptibleTimersAnEventBetweenTheTimersOfOneWatermarkFirstDoesItsAccountsDueWork() throws Exception {
        List<Object> events = workDueByDay400();
        UsageEvent later = delta("beta", "api_calls", 10, day(401));
        var reference = firedWholeThen(events, later);
        var interrupted = openedWith(events);

        // Flink stops firing after acme's timer (its mailbox has mail) and takes beta's event before beta's timer
        assertThat(firstTimerOnly(interrupted, day(400).toEpochMilli())).isFalse();
        assertThat(values(interrupted, OutputTags.MOVEMENTS)).extracting(MrrMovement::getType)
                .contains(MovementType.CHURN); // acme's cancellation, done in that firing
        send(interrupted, later, day(401));
        interrupted.watermark(day(400).toEpochMilli()); // the rest of the watermark: beta's timer, now with nothing due

        assertSameOutputsPerAccount(interrupted, reference, "acme", "beta");
        assertThat(signals(interrupted).stream().filter(s -> s.getAccountId().equals("beta")).toList()).hasSize(3);
        assertThat(processor(interrupted).timersFired()).containsExactly(1, 1); // acme's; beta's found its work done
        assertThat(processor(interrupted).timersCaughtUp()).isEqualTo(processor(reference).timersCaughtUp() + 1);
        assertThat(processor(interrupted).timersOvertaken()).as("beta's event came before beta's timer").isEqualTo(1);
        assertThat(processor(reference).timersOvertaken()).isZero();
        reference.close();
        interrupted.close();
    }

    @Test
    void aRestoreFromACheckpointTakenBetweenTheTimersOfOneWatermarkStillDoesAnAccountsDueWorkBeforeItsEvent()
            throws Exception {
        List<Object> events = workDueByDay400();
        UsageEvent later = delta("beta", "api_calls", 10, day(401));
        var reference = firedWholeThen(events, later);
        var interrupted = openedWith(events);

        // acme's timer fires, beta's is still pending when the checkpoint is taken; then the job fails
        assertThat(firstTimerOnly(interrupted, day(400).toEpochMilli())).isFalse();
        OperatorSubtaskState checkpoint = interrupted.snapshot(1, 1);
        List<ExpansionSignal> signalsBefore = forBeta(signals(interrupted));
        List<AccountHealth> healthBefore = forBeta(values(interrupted, OutputTags.HEALTH));
        interrupted.close();
        var restored = interruptible();
        restored.initializeState(checkpoint);
        restored.open();
        processor(restored).catchUpBeforeEvents(true);
        // beta's event arrives again before any watermark: Flink restores timers, not the watermark
        send(restored, later, day(401));
        restored.watermark(day(400).toEpochMilli()); // the watermark is back: beta's timer finds nothing due

        assertThat(concat(signalsBefore, forBeta(signals(restored))))
                .as("beta's milestones as without the failure, before its event")
                .isEqualTo(forBeta(signals(reference)));
        assertThat(concat(healthBefore, forBeta(values(restored, OutputTags.HEALTH))))
                .isEqualTo(forBeta(values(reference, OutputTags.HEALTH)));
        assertThat(processor(restored).timersOvertaken()).isEqualTo(1);
        assertThat(processor(restored).timersFired()).containsExactly(0, 1); // beta's timer, left over
        reference.close();
        restored.close();
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> List<T> forBeta(List<T> outputs) {
        return outputs.stream().filter(o -> "beta".equals(o.get(o.getSchema().getField("accountId").pos()))).toList();
    }

    private static <T> List<T> concat(List<T> first, List<T> second) {
        List<T> all = new java.util.ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    /** acme's cancellation on day 150 and both accounts' milestones: two timers due by day 400, acme's first. */
    private static List<Object> workDueByDay400() {
        return List.of(created("acme", day(0), 10_000, Map.of()),
                subscription("acme", SubscriptionEventType.CANCELLATION_SCHEDULED, day(2)).setEffectiveAt(day(150)).build(),
                created("beta", day(40), 5_000, Map.of()));
    }

    /** The reference run: {@code events}, the whole watermark of day 400 fired, then {@code later} on day 401. */
    private static KeyedBroadcastOperatorTestHarness<String, DecodedRecord, DecodedRecord, ExpansionSignal> firedWholeThen(
            List<Object> events, UsageEvent later) throws Exception {
        var h = openedWith(events);
        h.watermark(day(400).toEpochMilli());
        send(h, later, day(401));
        return h;
    }

    /** The operator on interruptible timers, opened, with {@code events} sent on days 0, 2 and 40. */
    private static KeyedBroadcastOperatorTestHarness<String, DecodedRecord, DecodedRecord, ExpansionSignal> openedWith(
            List<Object> events) throws Exception {
        var h = interruptible();
        h.open();
        processor(h).catchUpBeforeEvents(true);
        sendAll(h, events, 0, 2, 40);
        return h;
    }

    /**
     * The product's operator, not yet opened. Its processor is told that timers are interruptible
     * after it opens: the harness has no mailbox, so Flink's own interruptible timers (which
     * {@link AccountOperator} asks for when the job's configuration enables them) cannot run here;
     * {@link #firstTimerOnly} does what they do when mail is waiting.
     */
    private static KeyedBroadcastOperatorTestHarness<String, DecodedRecord, DecodedRecord, ExpansionSignal> interruptible()
            throws Exception {
        return AccountHarness.createBuffered(SETTINGS);
    }

    /**
     * Advances the operator's timers towards {@code watermark} as Flink's interruptible timers do
     * when mail is waiting: the first due timer fires, the rest stay pending. False: some remain.
     */
    private static boolean firstTimerOnly(KeyedBroadcastOperatorTestHarness<String, DecodedRecord, DecodedRecord, ExpansionSignal> h,
            long watermark) throws Exception {
        var manager = org.apache.flink.streaming.api.operators.AbstractStreamOperator.class.getDeclaredMethod("getTimeServiceManager");
        manager.setAccessible(true); // protected: what Flink's MailboxWatermarkProcessor calls
        var timers = (java.util.Optional<?>) manager.invoke(h.getOperator());
        return ((org.apache.flink.streaming.api.operators.InternalTimeServiceManager<?>) timers.orElseThrow())
                .tryAdvanceWatermark(new org.apache.flink.streaming.api.watermark.Watermark(watermark), () -> true);
    }

    /** Sends {@code events} in turn, the i-th with day {@code days[i]} as its record's timestamp. */
    private static void sendAll(KeyedBroadcastOperatorTestHarness<String, DecodedRecord, DecodedRecord, ExpansionSignal> h,
            List<Object> events, int... days) throws Exception {
        for (int i = 0; i < events.size(); i++) {
            send(h, events.get(i), day(days[i]));
        }
    }

    /** Each account's signals, movements and health snapshots in {@code actual} are {@code expected}'s, in the same order. */
    private static void assertSameOutputsPerAccount(
            KeyedBroadcastOperatorTestHarness<String, DecodedRecord, DecodedRecord, ExpansionSignal> actual,
            KeyedBroadcastOperatorTestHarness<String, DecodedRecord, DecodedRecord, ExpansionSignal> expected, String... accounts) {
        for (String account : accounts) {
            assertThat(signals(actual).stream().filter(s -> s.getAccountId().equals(account)).toList())
                    .isEqualTo(signals(expected).stream().filter(s -> s.getAccountId().equals(account)).toList());
            assertThat(values(actual, OutputTags.MOVEMENTS).stream().filter(m -> m.getAccountId().equals(account)).toList())
                    .isEqualTo(values(expected, OutputTags.MOVEMENTS).stream().filter(m -> m.getAccountId().equals(account)).toList());
            assertThat(values(actual, OutputTags.HEALTH).stream().filter(m -> m.getAccountId().equals(account)).toList())
                    .isEqualTo(values(expected, OutputTags.HEALTH).stream().filter(m -> m.getAccountId().equals(account)).toList());
        }
    }

    private static <T> List<T> values(KeyedBroadcastOperatorTestHarness<String, DecodedRecord, DecodedRecord, ExpansionSignal> h,
            org.apache.flink.util.OutputTag<T> tag) {
        return h.getSideOutput(tag) == null ? List.of() : h.getSideOutput(tag).stream().map(StreamRecord::getValue).toList();
    }

    @Test
    void anAccountWithNothingDueWaitsForASubscriptionEventWithoutLookingAgain() throws Exception {
        send(harness, created("acme", day(0), 10_000, Map.of()), day(0));
        harness.watermark(day(181).toEpochMilli()); // every tenure milestone fired; no renewal date: nothing due
        assertThat(signals(harness)).hasSize(3);
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(storedAccount("acme").wakeUpAt).isEqualTo(Long.MAX_VALUE);

        send(harness, delta("acme", "api_calls", 10, day(182)), day(182));
        assertThat(storedAccount("acme").wakeUpAt).isEqualTo(Long.MAX_VALUE);
        assertThat(harness.numEventTimeTimers()).isZero();

        send(harness, subscription("acme", SubscriptionEventType.QUANTITY_CHANGED, day(183)).setStartDate(day(0))
                .setBillingInterval(BillingInterval.YEARLY).setRenewalDate(day(300)).build(), day(183)); // renewal preparation due on day 210
        assertThat(storedAccount("acme").wakeUpAt).isEqualTo(day(210).toEpochMilli());
        harness.watermark(day(210).toEpochMilli());
        assertThat(signals(harness)).last().satisfies(s -> assertThat(s.getMilestone()).isEqualTo(Milestones.RENEWAL_PREP));
    }

    private AccountState storedAccount(String key) throws Exception {
        var backend = harness.getOperator().getKeyedStateBackend();
        backend.setCurrentKey(key);
        return backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                new ValueStateDescriptor<>("account", new io.expansionsignals.state.AccountStateSerializer())).value();
    }

    @Test
    void theAccountCountSurvivesARestart() throws Exception {
        send(harness, created("acme", day(0), 10_000, Map.of()), day(0));
        send(harness, created("beta", day(0), 10_000, Map.of()), day(0));
        assertThat(processor(harness).accountsInState()).isEqualTo(2);
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);

        var restored = newHarness();
        restored.initializeState(snapshot);
        restored.open();
        assertThat(processor(restored).accountsInState()).isEqualTo(2);
        send(restored, created("gamma", day(1), 10_000, Map.of()), day(1));
        send(restored, delta("acme", "api_calls", 10, day(1)), day(1)); // an existing account adds nothing
        assertThat(processor(restored).accountsInState()).isEqualTo(3);
        restored.close();
    }

    @Test
    void aDuplicateEventIdChangesStateOnce() throws Exception {
        send(harness, created("acme", day(0), 10_000, Map.of()), day(0));
        UsageEvent usage = delta("acme", "api_calls", 5_000, day(1));
        send(harness, usage, day(1));
        send(harness, usage, day(1)); // the producer retried
        send(harness, delta("acme", "api_calls", 3_000, day(2)), day(2));
        // 8,000 would cross 0.8 only if the duplicate had not been counted twice already at 10,000
        assertThat(signals(harness)).singleElement().satisfies(s -> {
            assertThat(s.getUsage()).isEqualTo(8_000);
            assertThat(s.getLevel()).isEqualTo(0.8);
        });
    }

    @Test
    void aQuietAccountWithoutSubscriptionIsClearedAndComesBackAsAReactivation() throws Exception {
        send(harness, created("acme", day(0), 10_000, Map.of()), day(0));
        send(harness, subscription("acme", SubscriptionEventType.CANCELED, day(5)).build(), day(5));
        harness.watermark(day(5 + 90).toEpochMilli());
        send(harness, created("acme", day(100), 20_000, Map.of()), day(100));
        // the account starts afresh (tenure from day 100, not day 0) yet is known to have paid before
        assertThat(harness.getSideOutput(OutputTags.HEALTH)).last()
                .satisfies(h -> assertThat(h.getValue().getTenureDays()).isZero());
        assertThat(movements()).extracting(MrrMovement::getType)
                .containsExactly(MovementType.NEW, MovementType.CHURN, MovementType.REACTIVATION);
    }

    @Test
    void restoringASnapshotGivesTheSameLaterOutputAsRunningOn() throws Exception {
        send(harness, created("acme", day(0), 10_000, Map.of()), day(0));
        send(harness, delta("acme", "api_calls", 7_000, day(1)), day(1));
        send(harness, created("beta", day(0), 50_000, Map.of("api_calls", 1_000L)), day(0));
        harness.watermark(day(1).toEpochMilli());
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);

        List<Object> rest = List.of(
                delta("acme", "api_calls", 1_500, day(2)),
                delta("beta", "api_calls", 950, day(2)),
                delta("acme", "api_calls", 1_500, day(3)));
        int before = signals(harness).size();
        for (Object e : rest) {
            send(harness, e, day(3));
        }
        harness.watermark(day(31).toEpochMilli());
        List<ExpansionSignal> continued = signals(harness).subList(before, signals(harness).size());

        var restored = newHarness();
        restored.initializeState(snapshot);
        restored.open();
        for (Object e : rest) {
            send(restored, e, day(3));
        }
        restored.watermark(day(31).toEpochMilli());
        List<ExpansionSignal> afterRestore = signals(restored);
        restored.close();

        assertThat(continued).hasSizeGreaterThanOrEqualTo(4); // 0.8 + 1.0 for acme, 0.9 for beta, milestones
        assertThat(afterRestore).isEqualTo(continued);
    }
}
