package io.expansionsignals.functions;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.expansionsignals.config.ExpansionSignalsOptions;
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
}
