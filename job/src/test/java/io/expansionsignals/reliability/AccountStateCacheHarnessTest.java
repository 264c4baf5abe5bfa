package io.expansionsignals.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.expansionsignals.domain.EngineSettings;
import io.expansionsignals.functions.AccountEvents;
import io.expansionsignals.functions.AccountOperator;
import io.expansionsignals.functions.AccountProcessor;
import io.expansionsignals.functions.CatalogState;
import io.expansionsignals.functions.OutputTags;
import io.expansionsignals.schema.ExpansionSignal;
import io.expansionsignals.schema.MrrMovement;
import io.expansionsignals.schema.internal.DecodedRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

/**
 * The deserialised-account cache in front of RocksDB changes nothing but speed: the same stream,
 * with a cache far smaller than the number of accounts (constant eviction of buffered writes) and
 * a snapshot and restore half-way (the flush before the barrier), gives exactly the outputs of a
 * run without the cache, read-only or write-behind. Holding health snapshots until the barrier
 * changes only how many are written: a reader of the compacted topic sees the same latest
 * snapshot per account at every checkpoint.
 */
class AccountStateCacheHarnessTest {
    private static final long HOUR = 3_600_000L;

    @Test
    void heldHealthSnapshotsLeaveTheLatestPerAccountAtEachCheckpointUnchanged() throws Exception {
        List<SpecificRecord> events = HostileInput.baseEvents(HostileInputFuzzTest.SEED + 11, 12_000);
        EngineSettings base = HostileInputFuzzTest.settings().toBuilder().stateCacheSize(5).build();
        List<List<String>> each = halves(run(base, events, true));
        List<List<String>> heldFew = halves(run(base.toBuilder().snapshotBufferSize(3).build(), events, true));
        List<List<String>> heldAll = halves(run(base.toBuilder().snapshotBufferSize(100_000).build(), events, true));
        for (int half = 0; half < 2; half++) {
            assertThat(nonHealth(heldFew.get(half))).containsExactlyElementsOf(nonHealth(each.get(half)));
            assertThat(nonHealth(heldAll.get(half))).containsExactlyElementsOf(nonHealth(each.get(half)));
            assertThat(latestHealth(heldFew.get(half))).isEqualTo(latestHealth(each.get(half)));
            assertThat(latestHealth(heldAll.get(half))).isEqualTo(latestHealth(each.get(half)));
            List<String> written = health(heldAll.get(half));
            assertThat(written).hasSameSizeAs(latestHealth(each.get(half)).values()); // one per account and checkpoint
            assertThat(health(each.get(half)).size()).isGreaterThan(2 * written.size());
        }
    }

    private static final String HEALTH = OutputTags.HEALTH.getId() + " ";
    private static final String HALF = "--- checkpoint";

    private static List<List<String>> halves(List<String> out) {
        int cut = out.indexOf(HALF);
        return List.of(out.subList(0, cut), out.subList(cut + 1, out.size()));
    }

    private static List<String> nonHealth(List<String> out) {
        return out.stream().filter(o -> !o.startsWith(HEALTH)).toList();
    }

    private static List<String> health(List<String> out) {
        return out.stream().filter(o -> o.startsWith(HEALTH)).toList();
    }

    /** What a reader of the compacted topic holds: the last snapshot written per account. */
    private static Map<String, String> latestHealth(List<String> out) {
        Map<String, String> latest = new TreeMap<>();
        for (String o : health(out)) {
            latest.put(o.substring(o.indexOf("\"accountId\": \"") + 14, o.indexOf("\", \"asOf\"")), o);
        }
        return latest;
    }

    @Test
    void aSmallCacheWithEvictionsAndARestoreGivesTheSameOutputsAsNoCache() throws Exception {
        List<SpecificRecord> events = HostileInput.baseEvents(HostileInputFuzzTest.SEED + 7, 12_000);
        EngineSettings base = HostileInputFuzzTest.settings();
        List<String> uncached = run(base.toBuilder().stateCacheSize(0).build(), events, false);
        List<String> readCache = run(base.toBuilder().stateCacheSize(5).build(), events, false);
        List<String> writeBehind = run(base.toBuilder().stateCacheSize(5).build(), events, true);
        // the filter of known accounts skips reads of new ones; after the restore it starts from the backend's keys
        List<String> filtered = run(base.toBuilder().stateCacheSize(5).knownAccountsFilter(true).build(), events, true);
        List<String> filteredUncached = run(base.toBuilder().stateCacheSize(0).knownAccountsFilter(true).build(), events, true);
        assertThat(uncached).hasSizeGreaterThan(1_000);
        assertThat(readCache).containsExactlyElementsOf(uncached);
        assertThat(writeBehind).containsExactlyElementsOf(uncached);
        assertThat(filtered).containsExactlyElementsOf(uncached);
        assertThat(filteredUncached).containsExactlyElementsOf(uncached);
        assertThat(health(uncached)).hasSizeGreaterThan(100);
    }

    @Test
    void aBarrierEveryFewHundredEventsGivesTheSameOutputsAsNoCache() throws Exception {
        List<SpecificRecord> events = HostileInput.baseEvents(HostileInputFuzzTest.SEED + 13, 12_000);
        EngineSettings base = HostileInputFuzzTest.settings();
        List<String> uncached = run(base.toBuilder().stateCacheSize(0).build(), events, false, 300);
        assertThat(uncached).hasSizeGreaterThan(1_000);
        // accounts written back at 40 barriers, on eviction in between (capacity 5) or only at barriers
        for (int capacity : new int[] {5, 100_000}) {
            for (boolean filter : new boolean[] {false, true}) {
                assertThat(run(base.toBuilder().stateCacheSize(capacity).knownAccountsFilter(filter).build(), events, true, 300))
                        .as("capacity %d, known-accounts filter %s", capacity, filter).containsExactlyElementsOf(uncached);
            }
        }
    }

    /** @param buffered the product's operator, which buffers writes until a barrier; else Flink's plain one (write-through) */
    private static List<String> run(EngineSettings settings, List<SpecificRecord> events, boolean buffered) throws Exception {
        return run(settings, events, buffered, Integer.MAX_VALUE);
    }

    /** As above, with a barrier (and no snapshot) every {@code barrierEvery} events, processing time 2 ms per event. */
    private static List<String> run(EngineSettings settings, List<SpecificRecord> events, boolean buffered, int barrierEvery)
            throws Exception {
        List<String> out = new ArrayList<>();
        var harness = harness(settings, buffered);
        harness.open();
        int half = events.size() / 2;
        for (int i = 0; i < half; i++) {
            step(harness, events.get(i), i, barrierEvery);
        }
        harness.prepareSnapshotPreBarrier(1); // as the task does before every checkpoint
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        collect(harness, out);
        out.add(HALF);
        harness.close();

        harness = harness(settings, buffered);
        harness.initializeState(snapshot);
        harness.open();
        for (int i = half; i < events.size(); i++) {
            step(harness, events.get(i), i, barrierEvery);
        }
        harness.watermark(Long.MAX_VALUE - 1);
        harness.close(); // the end of the input: held snapshots are written
        collect(harness, out);
        return out;
    }

    private static KeyedBroadcastOperatorTestHarness<String, DecodedRecord, DecodedRecord, ExpansionSignal> harness(
            EngineSettings settings, boolean buffered) throws Exception {
        AccountProcessor processor = new AccountProcessor(settings, Duration.ofDays(7), Duration.ofDays(400));
        var h = new KeyedBroadcastOperatorTestHarness<>(
                buffered ? new AccountOperator(processor) : new CoBroadcastWithKeyedOperator<>(processor, List.of(CatalogState.DESCRIPTOR)),
                AccountEvents::accountId, Types.STRING, 1, 1, 0);
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        h.setProcessingTime(1_000);
        return h;
    }

    private static void step(KeyedBroadcastOperatorTestHarness<String, DecodedRecord, DecodedRecord, ExpansionSignal> h,
            SpecificRecord e, int index, int barrierEvery) throws Exception {
        if (barrierEvery != Integer.MAX_VALUE) {
            h.setProcessingTime(1_000 + 2L * index);
            if (index > 0 && index % barrierEvery == 0) {
                h.prepareSnapshotPreBarrier(index);
            }
        }
        send(h, e);
    }

    private static void send(KeyedBroadcastOperatorTestHarness<String, DecodedRecord, DecodedRecord, ExpansionSignal> h,
            SpecificRecord e) throws Exception {
        long at = ((Instant) e.get(e.getSchema().getField("occurredAt").pos())).toEpochMilli();
        h.processElement(new StreamRecord<>(AccountEvents.wrap(e), at));
        h.watermark(at - 3 * HOUR); // timers fire along the way, cached accounts included
    }

    private static void collect(KeyedBroadcastOperatorTestHarness<String, DecodedRecord, DecodedRecord, ExpansionSignal> h,
            List<String> out) {
        h.extractOutputValues().forEach(s -> out.add("signal " + s));
        for (OutputTag<?> tag : List.of(OutputTags.CHURN_RISK, OutputTags.MOVEMENTS, OutputTags.HEALTH)) {
            if (h.getSideOutput(tag) != null) {
                h.getSideOutput(tag).forEach(r -> out.add(tag.getId() + " " + normalise(r.getValue())));
            }
        }
    }

    private static String normalise(Object record) {
        if (record instanceof MrrMovement m) { // its id holds nothing a cache could change
            return m.getAccountId() + " " + m.getType() + " " + m.getDeltaMinor() + " " + m.getOccurredAt();
        }
        return record.toString();
    }
}
