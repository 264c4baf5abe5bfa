package io.expansionsignals.functions;

import static io.expansionsignals.functions.AccountHarness.processor;
import static io.expansionsignals.functions.AccountHarness.send;
import static io.expansionsignals.testutils.Events.created;
import static io.expansionsignals.testutils.Events.day;
import static io.expansionsignals.testutils.Events.delta;
import static io.expansionsignals.testutils.Events.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import io.expansionsignals.domain.EngineSettings;
import io.expansionsignals.schema.ExpansionSignal;
import io.expansionsignals.schema.MovementType;
import io.expansionsignals.schema.MrrMovement;
import io.expansionsignals.schema.SubscriptionEventType;
import io.expansionsignals.schema.UsageEvent;
import io.expansionsignals.schema.internal.DecodedRecord;
import io.expansionsignals.testutils.Catalogs;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The known-accounts filter on RocksDB, as the product runs it: a new account's reads skip the
 * backend, and after a restore the filter knows every account the backend holds (its state, or
 * only the marker of a former customer), so none of them is taken for a new one.
 */
class KnownAccountsHarnessTest {
    private static final EngineSettings SETTINGS = EngineSettings.builder().fx(Catalogs.fx()).catalog(Catalogs.standard())
            .stateCacheSize(100).knownAccountsFilter(true).build();

    private static KeyedBroadcastOperatorTestHarness<String, DecodedRecord, DecodedRecord, ExpansionSignal> harness(
            EngineSettings settings) throws Exception {
        var h = AccountHarness.createBuffered(settings);
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        return h;
    }

    private static KeyedBroadcastOperatorTestHarness<String, DecodedRecord, DecodedRecord, ExpansionSignal> started(
            EngineSettings settings) throws Exception {
        var h = harness(settings);
        h.open();
        return h;
    }

    /** Checkpoints {@code h} (the account cache written back first, as before every barrier), closes it, and restores a new one from it. */
    private static KeyedBroadcastOperatorTestHarness<String, DecodedRecord, DecodedRecord, ExpansionSignal> restarted(
            KeyedBroadcastOperatorTestHarness<String, DecodedRecord, DecodedRecord, ExpansionSignal> h) throws Exception {
        h.prepareSnapshotPreBarrier(1);
        OperatorSubtaskState snapshot = h.snapshot(1, 1);
        h.close();
        var restored = harness(SETTINGS);
        restored.initializeState(snapshot);
        restored.open();
        return restored;
    }

    @Test
    void aNewAccountsFirstReadSkipsTheBackend() throws Exception {
        var h = started(SETTINGS);
        send(h, created("acme", day(0), 10_000, Map.of()), day(0));
        send(h, created("beta", day(0), 10_000, Map.of()), day(0));
        send(h, delta("acme", "api_calls", 10, day(1)), day(1));
        AccountStateCache cache = processor(h).cache();
        assertThat(cache.skipped()).isEqualTo(2);
        assertThat(cache.misses()).isZero();
        assertThat(cache.hits()).isEqualTo(1);
        h.close();
    }

    @Test
    void withoutTheSettingEveryMissReadsTheBackend() throws Exception {
        var h = started(SETTINGS.toBuilder().knownAccountsFilter(false).build());
        send(h, created("acme", day(0), 10_000, Map.of()), day(0));
        assertThat(processor(h).cache().skipped()).isZero();
        assertThat(processor(h).cache().misses()).isEqualTo(1);
        h.close();
    }

    @Test
    void afterARestoreTheAccountsInStateAreKnown() throws Exception {
        var h = started(SETTINGS);
        send(h, created("acme", day(0), 10_000, Map.of()), day(0));
        send(h, created("beta", day(0), 10_000, Map.of()), day(0));
        UsageEvent usage = delta("acme", "api_calls", 5_000, day(1));
        send(h, usage, day(1));
        var restored = restarted(h);
        send(restored, usage, day(1)); // the producer retried after the restore: a duplicate
        send(restored, delta("acme", "api_calls", 3_000, day(2)), day(2));
        send(restored, delta("beta", "api_calls", 1, day(2)), day(2));
        // taken for new accounts, both would count again and acme's usage would restart from 3,000
        assertThat(processor(restored).accountsInState()).isEqualTo(2);
        assertThat(processor(restored).cache().skipped()).isZero();
        assertThat(restored.extractOutputValues()).singleElement().satisfies(s -> assertThat(s.getUsage()).isEqualTo(8_000));
        restored.close();
    }

    @Test
    void afterARestoreAFormerCustomerWithoutAccountStateComesBackAsAReactivation() throws Exception {
        var h = started(SETTINGS);
        send(h, created("acme", day(0), 10_000, Map.of()), day(0));
        send(h, subscription("acme", SubscriptionEventType.CANCELED, day(5)).build(), day(5));
        h.watermark(day(5 + 90).toEpochMilli()); // quiet for 90 days: the account is cleared, the marker stays
        assertThat(processor(h).accountsInState()).isZero();
        var restored = restarted(h);
        send(restored, created("acme", day(100), 20_000, Map.of()), day(100));
        List<MovementType> types = restored.getSideOutput(OutputTags.MOVEMENTS).stream().map(StreamRecord::getValue)
                .map(MrrMovement::getType).toList();
        assertThat(types).containsExactly(MovementType.REACTIVATION);
        restored.close();
    }
}
