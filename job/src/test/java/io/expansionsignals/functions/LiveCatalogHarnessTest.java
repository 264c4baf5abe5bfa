package io.expansionsignals.functions;

import static io.expansionsignals.testutils.Events.day;
import static io.expansionsignals.testutils.Events.delta;
import static io.expansionsignals.testutils.Events.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import io.expansionsignals.config.CatalogRecords;
import io.expansionsignals.domain.EngineSettings;
import io.expansionsignals.domain.Plan;
import io.expansionsignals.domain.PlanCatalog;
import io.expansionsignals.schema.DeadLetter;
import io.expansionsignals.schema.DeadLetterReason;
import io.expansionsignals.schema.ExpansionSignal;
import io.expansionsignals.schema.MovementType;
import io.expansionsignals.schema.MrrMovement;
import io.expansionsignals.schema.PlanCatalogUpdate;
import io.expansionsignals.schema.SubscriptionEvent;
import io.expansionsignals.schema.SubscriptionEventType;
import io.expansionsignals.schema.internal.DecodedRecord;
import io.expansionsignals.schema.internal.SourceOrigin;
import io.expansionsignals.testutils.Catalogs;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The plan catalog changes while the job runs: new plans, new limits, invalid and stale versions. */
class LiveCatalogHarnessTest {
    private static final EngineSettings SETTINGS = EngineSettings.builder().fx(Catalogs.fx()).catalog(Catalogs.standard())
            .forecastMinElapsed(Duration.ofDays(40)).build();
    private KeyedBroadcastOperatorTestHarness<String, DecodedRecord, DecodedRecord, ExpansionSignal> harness;

    private static KeyedBroadcastOperatorTestHarness<String, DecodedRecord, DecodedRecord, ExpansionSignal> newHarness()
            throws Exception {
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

    /** The standard catalog as the next version, with one plan replaced or added. */
    private static PlanCatalogUpdate version(long v, Plan changed) {
        List<Plan> plans = new ArrayList<>();
        Catalogs.standard().plans().forEach(p -> {
            if (!p.planId().equals(changed.planId())) {
                plans.add(p);
            }
        });
        plans.add(changed);
        PlanCatalog c = new PlanCatalog(v, plans, Catalogs.standard().addOns());
        return CatalogRecords.toRecord(c, Catalogs.fx());
    }

    private static DecodedRecord fromTopic(Object payload, String topic, long offset) {
        DecodedRecord r = AccountEvents.wrap(payload);
        r.setOrigin(SourceOrigin.newBuilder().setTopic(topic).setPartition(0).setOffset(offset)
                .setValue(ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 1, 42})).build());
        return r;
    }

    private void send(Object event, Instant at) throws Exception {
        harness.processElement(new StreamRecord<>(fromTopic(event, "subscription-events", 7), at.toEpochMilli()));
    }

    private void broadcast(PlanCatalogUpdate update) throws Exception {
        harness.processBroadcastElement(new StreamRecord<>(fromTopic(update, "plan-catalog", 3), 0));
    }

    private List<DeadLetter> deadLetters() {
        var q = harness.getSideOutput(OutputTags.DEAD_LETTERS);
        return q == null ? List.of() : q.stream().map(StreamRecord::getValue).toList();
    }

    private List<MrrMovement> movements() {
        var q = harness.getSideOutput(OutputTags.MOVEMENTS);
        return q == null ? List.of() : q.stream().map(StreamRecord::getValue).toList();
    }

    @Test
    void aPlanUnknownToTheCatalogInForceIsADeadLetterWithItsOriginalBytesUntilANewCatalogAddsIt() throws Exception {
        SubscriptionEvent onNewPlan = subscription("acme", SubscriptionEventType.CREATED, day(0)).setPlanId("growth-plus")
                .setAmountMinor(70_000).build();
        send(onNewPlan, day(0));
        assertThat(deadLetters()).singleElement().satisfies(d -> {
            assertThat(d.getReason()).isEqualTo(DeadLetterReason.UNKNOWN_PLAN);
            assertThat(d.getSourceTopic()).isEqualTo("subscription-events");
            assertThat(d.getOffset()).isEqualTo(7);
            assertThat(d.getValue().array()).containsExactly(0, 0, 0, 0, 1, 42);
        });
        assertThat(movements()).isEmpty();

        broadcast(version(2, new Plan("growth-plus", 2, 70_000, "USD", Map.of("api_calls", 500_000L), "scale", List.of())));
        send(onNewPlan, day(0)); // the producer's retry of the same event: not remembered as seen while rejected
        assertThat(movements()).singleElement().satisfies(m -> assertThat(m.getType()).isEqualTo(MovementType.NEW));
        harness.processElement(new StreamRecord<>(AccountEvents.wrap(delta("acme", "api_calls", 400_000, day(1))), day(1).toEpochMilli()));
        assertThat(harness.extractOutputValues()).singleElement().satisfies(s -> {
            assertThat(s.getLimit()).isEqualTo(500_000); // the limit comes from the live catalog
            assertThat(s.getSuggestedPlanId()).isEqualTo("scale");
        });
    }

    @Test
    void aNewLimitTakesEffectWithoutARestart() throws Exception {
        send(subscription("acme", SubscriptionEventType.CREATED, day(0)).build(), day(0)); // starter: 10,000 api_calls
        harness.processElement(new StreamRecord<>(AccountEvents.wrap(delta("acme", "api_calls", 8_500, day(1))), day(1).toEpochMilli()));
        broadcast(version(2, new Plan("starter", 1, 10_000, "USD", Map.of("api_calls", 20_000L), "growth", List.of())));
        harness.processElement(new StreamRecord<>(AccountEvents.wrap(delta("acme", "api_calls", 8_000, day(2))), day(2).toEpochMilli()));
        assertThat(harness.extractOutputValues()).extracting(ExpansionSignal::getLimit).containsExactly(10_000L, 20_000L);
        assertThat(harness.extractOutputValues().get(1).getUsage()).isEqualTo(16_500);
    }

    @Test
    void anInvalidOrStaleCatalogIsADeadLetterAndThePreviousOneStaysInForce() throws Exception {
        broadcast(version(2, new Plan("gold", 2, 70_000, "CHF", Map.of(), null, List.of()))); // no FX rate for CHF
        broadcast(version(1, new Plan("gold", 2, 70_000, "USD", Map.of(), null, List.of()))); // not newer than 1
        assertThat(deadLetters()).extracting(DeadLetter::getReason)
                .containsExactly(DeadLetterReason.INVALID_CATALOG, DeadLetterReason.INVALID_CATALOG);
        assertThat(deadLetters().get(0).getDetail()).contains("CHF").contains("version 1 stays in force");
        assertThat(deadLetters().get(1).getSourceTopic()).isEqualTo("plan-catalog");
        send(subscription("acme", SubscriptionEventType.CREATED, day(0)).setPlanId("gold").build(), day(0));
        assertThat(deadLetters()).last().satisfies(d -> assertThat(d.getReason()).isEqualTo(DeadLetterReason.UNKNOWN_PLAN));
    }

    @Test
    void theCatalogInForceSurvivesASnapshotAndRestore() throws Exception {
        broadcast(version(2, new Plan("gold", 2, 70_000, "USD", Map.of("api_calls", 1_000L), null, List.of())));
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        var restored = newHarness();
        restored.initializeState(snapshot);
        restored.open();
        restored.processElement(new StreamRecord<>(fromTopic(subscription("acme", SubscriptionEventType.CREATED, day(0))
                .setPlanId("gold").build(), "subscription-events", 9), day(0).toEpochMilli()));
        restored.processElement(new StreamRecord<>(AccountEvents.wrap(delta("acme", "api_calls", 900, day(1))), day(1).toEpochMilli()));
        assertThat(restored.extractOutputValues()).singleElement().satisfies(s -> assertThat(s.getLimit()).isEqualTo(1_000));
        restored.close();
    }
}
