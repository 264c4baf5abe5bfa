package io.expansionsignals.functions;

import static io.expansionsignals.functions.AccountHarness.send;
import static io.expansionsignals.testutils.Events.created;
import static io.expansionsignals.testutils.Events.day;
import static io.expansionsignals.testutils.Events.delta;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.expansionsignals.domain.AccountEngine;
import io.expansionsignals.domain.AccountState;
import io.expansionsignals.domain.EngineSettings;
import io.expansionsignals.schema.ExpansionSignal;
import io.expansionsignals.schema.internal.DecodedRecord;
import io.expansionsignals.state.AccountStateSerializer;
import io.expansionsignals.testutils.Catalogs;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

class AccountStateCacheTest {
    @Test
    void theBarrierWritesEachChangedAccountOnceAndTheListOfChangesStaysBoundedWithoutBarriers() throws Exception {
        var h = opened(5, new EmbeddedRocksDBStateBackend());
        AccountStateCache cache = AccountHarness.processor(h).cache();
        for (int i = 0; i < 3_000; i++) { // every new account evicts a changed one, as with checkpointing off
            send(h, created("acct-" + i, day(0), 10_000, Map.of()), day(0));
        }
        assertEquals(2_995, cache.writtenBack(), "written on eviction");
        assertTrue(cache.changedEntries() <= 2 * 5 + 1_024, "entries kept for the flush: " + cache.changedEntries());
        h.prepareSnapshotPreBarrier(1);
        assertEquals(3_000, cache.writtenBack(), "the five still cached, once each");
        assertEquals(0, cache.changedEntries());
        assertEquals(0, cache.dirtyCount());
        h.close();
    }

    /**
     * On RocksDB the flush encodes every changed account first and then writes the bytes in key
     * order (change 38): what the backend holds afterwards is each account exactly as cached.
     */
    @Test
    void onRocksDbTheBarrierLeavesEveryChangedAccountInTheBackendAsCached() throws Exception {
        var h = opened(1_000, new EmbeddedRocksDBStateBackend());
        AccountStateCache cache = AccountHarness.processor(h).cache();
        for (int i = 0; i < 300; i++) {
            send(h, created("acct-" + i, day(0), 10_000 + i, Map.of("api_calls", 1_000L)), day(0));
        }
        for (int i = 0; i < 300; i += 3) { // a second change of some: still one write each
            send(h, delta("acct-" + i, "api_calls", 900, day(1)), day(1));
        }
        assertTrue(cache.keyOrdered(), "RocksDB is recognised as a backend that sorts by key group");

        h.prepareSnapshotPreBarrier(1);

        assertEquals(300, cache.writtenBack());
        AccountStateSerializer serializer = new AccountStateSerializer();
        for (int i = 0; i < 300; i++) {
            String key = "acct-" + i;
            assertArrayEquals(bytes(serializer, cache.read(key)), bytes(serializer, stored(h, key)), key);
        }
        h.close();
    }

    /** The heap backend keeps the objects it is given: it must get the account, never an encoding of it. */
    @Test
    void onTheHeapTheBarrierHandsTheBackendTheAccountsThemselves() throws Exception {
        var h = opened(1_000, null);
        AccountStateCache cache = AccountHarness.processor(h).cache();
        for (int i = 0; i < 50; i++) {
            send(h, created("acct-" + i, day(0), 10_000, Map.of()), day(0));
        }
        assertFalse(cache.keyOrdered());

        h.prepareSnapshotPreBarrier(1);

        for (int i = 0; i < 50; i++) {
            String key = "acct-" + i;
            assertSame(cache.read(key), stored(h, key), key);
        }
        h.close();
    }

    /**
     * The write order of a key-ordered flush, against a backend that encodes on write as RocksDB
     * does: key group, then key length, then key; each write carries the bytes of its own account.
     */
    @Test
    void aKeyOrderedFlushWritesByKeyGroupThenKey() throws Exception {
        AccountStateSerializer serializer = new AccountStateSerializer();
        List<String> writes = new ArrayList<>();
        Map<String, byte[]> written = new HashMap<>();
        String[] current = {null};
        ValueState<AccountState> encodingBackend = new ValueState<>() {
            @Override
            public AccountState value() {
                return null;
            }

            @Override
            public void update(AccountState value) throws IOException {
                writes.add(current[0]);
                written.put(current[0], bytes(serializer, value));
            }

            @Override
            public void clear() {}
        };
        AccountStateCache cache = new AccountStateCache(encodingBackend, serializer, 100);
        cache.attach(new AccountStateCache.KeyContext() {
            @Override
            public void setCurrentKey(String key) {
                current[0] = key;
            }

            @Override
            public String getCurrentKey() {
                return current[0];
            }

            @Override
            public boolean sortsByKeyGroup() {
                return true;
            }

            @Override
            public int keyGroupOf(String key) {
                return key.charAt(key.length() - 1) % 3; // a stand-in spread: 0, 1, 2
            }
        });
        List<String> keys = List.of("b-7", "a-10", "c-1", "a-2", "z-9", "b-11", "a-5");
        for (String key : keys) {
            current[0] = key;
            cache.write(key, AccountEngine.newAccount(key));
        }
        current[0] = "z-9";

        cache.flush();

        assertEquals(List.of("z-9", "a-10", "b-7", "c-1", "b-11", "a-2", "a-5"), writes);
        for (String key : keys) {
            assertArrayEquals(bytes(serializer, AccountEngine.newAccount(key)), written.get(key), key);
        }
        assertEquals("z-9", current[0], "the key being processed is current again");
    }

    /** The product's account operator with an account cache of {@code cacheSize}, opened on {@code backend} (null: the heap). */
    private static KeyedBroadcastOperatorTestHarness<String, DecodedRecord, DecodedRecord, ExpansionSignal> opened(int cacheSize,
            StateBackend backend) throws Exception {
        var h = AccountHarness.createBuffered(EngineSettings.builder().fx(Catalogs.fx()).catalog(Catalogs.standard())
                .stateCacheSize(cacheSize).build());
        if (backend != null) {
            h.setStateBackend(backend);
        }
        h.open();
        return h;
    }

    private static AccountState stored(KeyedBroadcastOperatorTestHarness<String, ?, ?, ?> h, String key) throws Exception {
        var backend = h.getOperator().getKeyedStateBackend();
        backend.setCurrentKey(key);
        return backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                new ValueStateDescriptor<>("account", new AccountStateSerializer())).value();
    }

    private static byte[] bytes(AccountStateSerializer serializer, AccountState account) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(account, out);
        return out.getCopyOfBuffer();
    }

    @Test
    void withoutACacheReadsAreNeitherHitsNorMisses() throws Exception {
        // the heap backend runs without one: its reads must not read as a cache that misses every time
        var h = opened(0, null);
        AccountStateCache cache = AccountHarness.processor(h).cache();
        send(h, created("acct-1", day(0), 10_000, Map.of()), day(0));
        send(h, created("acct-1", day(1), 20_000, Map.of()), day(1));
        assertEquals(0, cache.hits());
        assertEquals(0, cache.misses());
        assertEquals(1, AccountHarness.processor(h).accountsInState(), "the second event read the account from the backend");
        h.close();
    }
}
