package io.expansionsignals.functions;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static io.expansionsignals.functions.AccountHarness.send;
import static io.expansionsignals.testutils.Events.created;
import static io.expansionsignals.testutils.Events.day;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.expansionsignals.config.ExpansionSignalsOptions;
import io.expansionsignals.domain.EngineSettings;
import io.expansionsignals.testutils.Catalogs;
import java.util.Map;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.junit.jupiter.api.Test;

class AccountStateCacheTest {
    private static final long MB = 1 << 20;

    @Test
    void theDefaultCacheFitsTheTaskManagersOfBothOverlays() {
        // 40,000 accounts take ~133 MB: prod's task managers have GBs of heap, dev's ~416 MB
        int defaultSize = ExpansionSignalsOptions.STATE_CACHE_SIZE.defaultValue();
        assertNull(AccountStateCache.heapWarning(defaultSize, 1_500 * MB));
        assertNull(AccountStateCache.heapWarning(defaultSize, 416 * MB));
    }

    @Test
    void aCacheTakingMoreThanHalfTheHeapIsNamedWithItsSetting() {
        String warning = AccountStateCache.heapWarning(40_000, 256 * MB);
        assertNotNull(warning);
        assertTrue(warning.startsWith("state.account-cache-size 40,000"), warning);
        assertTrue(warning.contains("133 MB") && warning.contains("256 MB"), warning);
    }

    @Test
    void theBoundIsHalfTheHeap() {
        long heap = 400 * MB;
        int fits = (int) (heap / 2 / AccountStateCache.BYTES_PER_ACCOUNT);
        assertNull(AccountStateCache.heapWarning(fits, heap));
        assertNotNull(AccountStateCache.heapWarning(fits + 1, heap));
        assertNull(AccountStateCache.heapWarning(0, heap), "0 disables the cache");
    }

    @Test
    void theBarrierWritesEachChangedAccountOnceAndTheListOfChangesStaysBoundedWithoutBarriers() throws Exception {
        var h = AccountHarness.createBuffered(EngineSettings.builder().fx(Catalogs.fx()).catalog(Catalogs.standard())
                .stateCacheSize(5).build());
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        h.open();
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

    @Test
    void withoutACacheReadsAreNeitherHitsNorMisses() throws Exception {
        // the heap backend runs without one: its reads must not read as a cache that misses every time
        var h = AccountHarness.createBuffered(EngineSettings.builder().fx(Catalogs.fx()).catalog(Catalogs.standard())
                .stateCacheSize(0).build());
        h.open();
        AccountStateCache cache = AccountHarness.processor(h).cache();
        send(h, created("acct-1", day(0), 10_000, Map.of()), day(0));
        send(h, created("acct-1", day(1), 20_000, Map.of()), day(1));
        assertEquals(0, cache.hits());
        assertEquals(0, cache.misses());
        assertEquals(1, AccountHarness.processor(h).accountsInState(), "the second event read the account from the backend");
        h.close();
    }
}
