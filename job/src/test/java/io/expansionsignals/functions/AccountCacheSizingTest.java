package io.expansionsignals.functions;

import static io.expansionsignals.domain.EngineSettings.STATE_CACHE_SIZE_UNSET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.expansionsignals.domain.EngineSettings;
import io.expansionsignals.testutils.Catalogs;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.junit.jupiter.api.Test;

class AccountCacheSizingTest {
    private static final long MB = 1 << 20;
    private static final long PER_ACCOUNT = AccountStateCache.BYTES_PER_ACCOUNT;

    @Test
    void unsetItIsFortyThousandOnTheTaskManagersOfBothOverlays() {
        // base/prod: ~1.46 GB of task heap over 2 slots; dev: ~416 MB, 1 slot
        assertEquals(40_000, AccountCacheSizing.of(STATE_CACHE_SIZE_UNSET, 0.5, 1_460 * MB, 2).capacity());
        assertEquals(40_000, AccountCacheSizing.of(STATE_CACHE_SIZE_UNSET, 0.5, 416 * MB, 1).capacity());
    }

    @Test
    void unsetItShrinksToItsSlotsShareOfTheHeap() {
        AccountCacheSizing eight = AccountCacheSizing.of(STATE_CACHE_SIZE_UNSET, 0.5, 1_000 * MB, 8);
        assertEquals(1_000 * MB / 8 / 2 / PER_ACCOUNT, eight.capacity());
        assertFalse(eight.overBudget());
        assertTrue(eight.explanation().contains("8 slots") && eight.explanation().contains("state.account-cache-size unset"),
                eight.explanation());
        AccountCacheSizing one = AccountCacheSizing.of(STATE_CACHE_SIZE_UNSET, 0.5, 100 * MB, 1);
        assertEquals(100 * MB / 2 / PER_ACCOUNT, one.capacity());
        assertEquals(one.capacity() / 2, AccountCacheSizing.of(STATE_CACHE_SIZE_UNSET, 0.25, 100 * MB, 1).capacity(), 1,
                "half the share, half the accounts");
    }

    @Test
    void unsetItStillCachesOnATinyHeap() {
        assertEquals(1, AccountCacheSizing.of(STATE_CACHE_SIZE_UNSET, 0.01, 100_000, 4).capacity());
    }

    @Test
    void setItIsTakenAsGivenAndNamedWhenAFullCacheOverflowsTheShare() {
        AccountCacheSizing big = AccountCacheSizing.of(40_000, 0.5, 200 * MB, 1);
        assertEquals(40_000, big.capacity(), "a set size is not capped");
        assertTrue(big.overBudget());
        assertTrue(big.explanation().startsWith("state.account-cache-size 40,000") && big.explanation().contains("114 MB")
                && big.explanation().contains("state.account-cache-heap-share 50 %"), big.explanation());
        int fits = (int) (200 * MB / 2 / PER_ACCOUNT);
        assertFalse(AccountCacheSizing.of(fits, 0.5, 200 * MB, 1).overBudget());
        assertTrue(AccountCacheSizing.of(fits + 1, 0.5, 200 * MB, 1).overBudget());
        assertTrue(AccountCacheSizing.of(fits, 0.5, 200 * MB, 2).overBudget(), "a second slot halves the room");
        assertFalse(AccountCacheSizing.of(0, 0.5, 1, 1).overBudget(), "0 disables the cache");
        assertEquals(0, AccountCacheSizing.of(0, 0.5, 1, 1).capacity());
    }

    @Test
    void theTaskHeapIsFlinksFigureCappedByTheJvmsHeap() {
        assertEquals(1_000 * MB, AccountCacheSizing.taskHeap(1_000 * MB, 2_000 * MB));
        assertEquals(2_000 * MB, AccountCacheSizing.taskHeap(MemorySize.MAX_VALUE.getBytes(), 2_000 * MB), "a local cluster's");
        assertEquals(2_000 * MB, AccountCacheSizing.taskHeap(0, 2_000 * MB), "none set");
    }

    @Test
    void theOperatorSizesAnUnsetCacheFromItsTaskManagersHeapAndSlots() throws Exception {
        var h = AccountHarness.createBuffered(EngineSettings.builder().fx(Catalogs.fx()).catalog(Catalogs.standard())
                .stateCacheSize(STATE_CACHE_SIZE_UNSET).build());
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        h.getEnvironment().getTaskManagerInfo().getConfiguration()
                .set(TaskManagerOptions.TASK_HEAP_MEMORY, MemorySize.ofMebiBytes(120))
                .set(TaskManagerOptions.NUM_TASK_SLOTS, 4);
        h.open();
        try {
            assertEquals(120 * MB / 4 / 2 / PER_ACCOUNT, AccountHarness.processor(h).cache().capacity());
        } finally {
            h.close();
        }
    }
}
