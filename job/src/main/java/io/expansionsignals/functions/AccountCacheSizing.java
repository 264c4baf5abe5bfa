package io.expansionsignals.functions;

import io.expansionsignals.domain.EngineSettings;
import java.util.Locale;

/**
 * How many accounts one account-engine instance caches ({@link AccountStateCache}). The cache
 * lives on the task heap, which every slot of a task manager shares: a size that fits a task
 * manager with one slot overflows one with eight. Unset, the size is the smaller of
 * {@link #UNSET_LIMIT} and what fits in {@code state.account-cache-heap-share} of this instance's
 * part of the task heap (task heap / slots) at {@link AccountStateCache#BYTES_PER_ACCOUNT} each.
 * Set, it is taken as given, with a warning naming the setting when a full cache would take more
 * than that share.
 */
record AccountCacheSizing(int capacity, boolean overBudget, String explanation) {
    /** The unset size's upper end: the hot set per instance at 1 M accounts in the benchmark fits. */
    static final int UNSET_LIMIT = 40_000;

    /**
     * @param configured {@code state.account-cache-size}, or {@link EngineSettings#STATE_CACHE_SIZE_UNSET}
     * @param heapShare {@code state.account-cache-heap-share}, in (0, 1]
     * @param taskHeapBytes the task manager's task heap (see {@link #taskHeap})
     * @param slots the task manager's slots, which share that heap
     */
    static AccountCacheSizing of(int configured, double heapShare, long taskHeapBytes, int slots) {
        int sharing = Math.max(1, slots);
        long perInstance = taskHeapBytes / sharing;
        long budget = (long) (heapShare * perInstance);
        long fits = budget / AccountStateCache.BYTES_PER_ACCOUNT;
        String heap = String.format(Locale.ROOT, "%s of this instance's %,d MB of task heap (%,d MB over %d slot%s) is %,d MB, "
                + "%,d accounts at about %,d B each", share(heapShare), perInstance >> 20, taskHeapBytes >> 20, sharing,
                sharing == 1 ? "" : "s", budget >> 20, fits, AccountStateCache.BYTES_PER_ACCOUNT);
        if (configured == EngineSettings.STATE_CACHE_SIZE_UNSET) {
            int capacity = (int) Math.max(1, Math.min(UNSET_LIMIT, fits));
            return new AccountCacheSizing(capacity, false, String.format(Locale.ROOT, "account cache: %,d accounts per instance "
                    + "(state.account-cache-size unset: the smaller of %,d and what fits; state.account-cache-heap-share %s)",
                    capacity, UNSET_LIMIT, heap));
        }
        boolean over = (long) configured * AccountStateCache.BYTES_PER_ACCOUNT > budget;
        String explanation = over
                ? String.format(Locale.ROOT, "state.account-cache-size %,d: a full account cache takes about %,d MB of heap, more "
                        + "than state.account-cache-heap-share %s; lower it, leave it unset to size it from the heap, or give the "
                        + "task managers more task heap (taskmanager.memory.task.heap.size) or fewer slots",
                        configured, configured * AccountStateCache.BYTES_PER_ACCOUNT >> 20, heap)
                : String.format(Locale.ROOT, "account cache: %,d accounts per instance (state.account-cache-size; "
                        + "state.account-cache-heap-share %s)", configured, heap);
        return new AccountCacheSizing(configured, over && configured > 0, explanation);
    }

    /**
     * The task heap a task manager gives its slots: {@code taskmanager.memory.task.heap.size} where
     * Flink set it (a task manager process it started), capped by the JVM's maximum heap (a local
     * or mini cluster reports no size, or an unbounded one, and shares the JVM with everything else).
     */
    static long taskHeap(long configuredTaskHeapBytes, long maxHeapBytes) {
        return configuredTaskHeapBytes > 0 ? Math.min(configuredTaskHeapBytes, maxHeapBytes) : maxHeapBytes;
    }

    private static String share(double heapShare) {
        return String.format(Locale.ROOT, "%.0f %%", heapShare * 100);
    }
}
