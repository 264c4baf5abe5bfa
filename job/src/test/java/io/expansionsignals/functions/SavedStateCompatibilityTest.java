package io.expansionsignals.functions;

import static io.expansionsignals.testutils.Events.created;
import static io.expansionsignals.testutils.Events.day;
import static io.expansionsignals.testutils.Events.delta;
import static io.expansionsignals.testutils.Events.subscription;
import static io.expansionsignals.functions.AccountHarness.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.expansionsignals.domain.EngineSettings;
import io.expansionsignals.domain.Milestones;
import io.expansionsignals.schema.ExpansionSignal;
import io.expansionsignals.schema.ExpansionSignalType;
import io.expansionsignals.schema.MovementType;
import io.expansionsignals.schema.MrrMovement;
import io.expansionsignals.schema.SubscriptionEventType;
import io.expansionsignals.schema.internal.DecodedRecord;
import io.expansionsignals.testutils.Catalogs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;

/**
 * State written by an earlier version of the account operator must restore into this one: a
 * platform team upgrades with a savepoint and expects every account, pending timer and count to
 * carry over. The fixture is a snapshot of the operator taken by version 0.1 and committed; a
 * change to {@code AccountState} or the operator's state that Flink cannot migrate (a field's type
 * changed, a state renamed) fails here, not in production. Version 0.1 wrote the account with
 * Flink's POJO serializer; this version migrates it to {@code AccountStateSerializer} on restore,
 * on the heap and on RocksDB (which rewrites every stored account), and a second checkpoint, in the
 * new format, restores as well. Rewrite the fixture only on purpose,
 * for a release whose upgrade notes say old savepoints no longer restore:
 * {@code ./mvnw -pl job test -Dtest=SavedStateCompatibilityTest -Dstate.fixture.write=true}.
 */
class SavedStateCompatibilityTest {
    private static final Path FIXTURE = Path.of("src/test/resources/state/account-operator-0.1.snapshot");
    /**
     * The same accounts written on RocksDB by the last version with the POJO serializer (commit
     * 0ba382e): RocksDB does not restore the heap backend's checkpoint format, and migrating its
     * stored accounts is a path of its own (every value read with the old serializer, rewritten).
     */
    private static final Path ROCKSDB_FIXTURE = Path.of("src/test/resources/state/account-operator-pojo-rocksdb.snapshot");
    private static final EngineSettings SETTINGS = EngineSettings.builder().fx(Catalogs.fx()).catalog(Catalogs.standard()).build();

    @Test
    @EnabledIfSystemProperty(named = "state.fixture.write", matches = "true")
    void writeFixture() throws Exception {
        try (var h = AccountHarness.create(SETTINGS)) {
            h.open();
            // acme: 7,000 of 10,000 api calls used, day-30 check-in pending
            send(h, created("acme", day(0), 10_000, Map.of("api_calls", 10_000L)), day(0));
            send(h, delta("acme", "api_calls", 7_000, day(1)), day(1));
            // beta: a cancellation scheduled for day 20
            send(h, created("beta", day(0), 20_000, Map.of()), day(0));
            send(h, subscription("beta", SubscriptionEventType.CANCELLATION_SCHEDULED, day(2)).setEffectiveAt(day(20)).build(), day(2));
            h.watermark(day(2).toEpochMilli());
            Files.createDirectories(FIXTURE.getParent());
            OperatorSnapshotUtil.writeStateHandle(h.snapshot(1L, 1L), FIXTURE.toString());
        }
    }

    @ParameterizedTest(name = "on RocksDB: {0}")
    @ValueSource(booleans = {false, true})
    void stateOfVersion01RestoresWithAccountsTimersAndCount(boolean rocksDb) throws Exception {
        OperatorSubtaskState saved = OperatorSnapshotUtil.readStateHandle((rocksDb ? ROCKSDB_FIXTURE : FIXTURE).toString());
        OperatorSubtaskState migrated;
        try (var h = harness(rocksDb)) {
            h.initializeState(saved);
            h.open();
            AccountProcessor processor = AccountHarness.processor(h);
            assertThat(processor.accountsInState()).isEqualTo(2);
            assertThat(h.numEventTimeTimers()).isEqualTo(3); // acme's day 30; beta's day 20, and its day 30 left over

            // an id of its own: the ids the fixture's events had are remembered, and this one would be a duplicate
            var usage = delta("acme", "api_calls", 1_500, day(3));
            usage.setEventId("after-restore-1");
            send(h, usage, day(3)); // 8,500 only if the 7,000 were restored
            assertThat(h.extractOutputValues()).singleElement().satisfies(s -> {
                assertThat(s.getType()).isEqualTo(ExpansionSignalType.USAGE_THRESHOLD);
                assertThat(s.getUsage()).isEqualTo(8_500);
                assertThat(s.getLimit()).isEqualTo(10_000);
            });
            migrated = h.snapshot(2L, 2L);
        }
        try (var h = harness(rocksDb)) {
            h.initializeState(migrated); // now in this version's own format
            h.open();
            var more = delta("acme", "api_calls", 1_000, day(4));
            more.setEventId("after-restore-2");
            send(h, more, day(4)); // 9,500: over the next level only if 8,500 restored
            assertThat(h.extractOutputValues()).singleElement().satisfies(s -> assertThat(s.getUsage()).isEqualTo(9_500));

            h.watermark(day(30).toEpochMilli());
            List<MrrMovement> movements = h.getSideOutput(OutputTags.MOVEMENTS).stream().map(StreamRecord::getValue).toList();
            assertThat(movements).singleElement().satisfies(m -> {
                assertThat(m.getType()).isEqualTo(MovementType.CHURN);
                assertThat(m.getAccountId()).isEqualTo("beta");
                assertThat(m.getOccurredAt()).isEqualTo(day(20));
            });
            assertThat(h.extractOutputValues()).last().satisfies(s -> {
                assertThat(s.getAccountId()).isEqualTo("acme");
                assertThat(s.getMilestone()).isEqualTo(Milestones.DAY_30);
            });
        }
    }

    private static KeyedBroadcastOperatorTestHarness<String, DecodedRecord, DecodedRecord, ExpansionSignal> harness(boolean rocksDb)
            throws Exception {
        var h = AccountHarness.create(SETTINGS);
        if (rocksDb) {
            h.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        return h;
    }
}
