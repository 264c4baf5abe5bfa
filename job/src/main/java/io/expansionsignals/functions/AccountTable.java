package io.expansionsignals.functions;

import io.expansionsignals.domain.AccountState;

/**
 * The account cache's table: open addressing with linear probing over two dense arrays (the keys'
 * hashes and the entries), and CLOCK eviction (a referenced bit per entry, a hand that sweeps the
 * slots and takes the first entry not used since its last pass).
 *
 * <p>Why not {@code LinkedHashMap} in access order: at 1 M accounts the cached entries are cold,
 * and a hit there reached a table slot, a node, the key, and then relinked the node at the tail,
 * writing to its two neighbours and the old tail, three more cold objects (10.5 % of the account
 * operator's thread in a live run). Here a hit reads a hash from a dense array, then the entry and
 * its key, and sets a bit in the entry it reaches anyway. CLOCK keeps recently used accounts as
 * LRU does, approximately, which is all a cache of write-behind accounts needs: every change is
 * written back whichever account goes.
 */
final class AccountTable {
    /** One cached account; the cache's bookkeeping lives beside it. */
    static final class Entry {
        final String key;
        AccountState state;
        /** Changed since it was last written to the backend. */
        boolean dirty;
        /** Read or written since the clock hand last passed it. */
        boolean referenced = true;
        /** The backend's key group of {@link #key}, when it orders by one (see {@code AccountStateCache.KeyContext}). */
        int keyGroup;

        Entry(String key) {
            this.key = key;
        }
    }

    /** Slots a new table starts with: it doubles as accounts arrive, up to what its capacity needs. */
    private static final int INITIAL_SLOTS = 1 << 12;

    private Entry[] slots;
    /** Spread hash of each slot's key, so a probe compares keys only on an equal hash. */
    private int[] hashes;
    private int mask;
    private final int maxSlots;
    private int size;
    private int hand;

    /** A table for up to {@code capacity} entries and one more (added before another is evicted), at most half full. */
    AccountTable(int capacity) {
        int want = 2 * (Math.max(0, Math.min(capacity, 1 << 28)) + 1);
        maxSlots = Integer.highestOneBit(want - 1) << 1;
        allocate(Math.min(maxSlots, INITIAL_SLOTS));
    }

    private void allocate(int n) {
        slots = new Entry[n];
        hashes = new int[n];
        mask = n - 1;
        hand = 0;
    }

    int size() {
        return size;
    }

    /** The entry of {@code key}, marked as used, or null. */
    Entry get(String key) {
        int i = indexOf(key);
        if (i < 0) {
            return null;
        }
        Entry e = slots[i];
        e.referenced = true;
        return e;
    }

    /** A new entry for {@code key}, which must not be in the table; the caller keeps it within capacity. */
    Entry add(String key) {
        if (size + 1 > slots.length / 2) {
            if (slots.length >= maxSlots) {
                throw new IllegalStateException("account table full: " + size + " entries");
            }
            grow();
        }
        Entry e = new Entry(key);
        place(e, spread(key.hashCode()));
        size++;
        return e;
    }

    private void place(Entry e, int h) {
        int i = h & mask;
        while (slots[i] != null) {
            i = (i + 1) & mask;
        }
        slots[i] = e;
        hashes[i] = h;
    }

    /** Doubles the slots, so a cache sized for many accounts takes memory for the ones it holds. */
    private void grow() {
        Entry[] oldSlots = slots;
        int[] oldHashes = hashes;
        allocate(oldSlots.length * 2);
        for (int i = 0; i < oldSlots.length; i++) {
            if (oldSlots[i] != null) {
                place(oldSlots[i], oldHashes[i]);
            }
        }
    }

    /** Removes the entry of {@code key} and returns it, or null if there is none. */
    Entry remove(String key) {
        int i = indexOf(key);
        if (i < 0) {
            return null;
        }
        Entry e = slots[i];
        removeAt(i);
        return e;
    }

    /** The slot of {@code key}, or -1. */
    private int indexOf(String key) {
        int h = spread(key.hashCode());
        for (int i = h & mask; ; i = (i + 1) & mask) {
            Entry e = slots[i];
            if (e == null) {
                return -1;
            }
            if (hashes[i] == h && (e.key == key || e.key.equals(key))) {
                return i;
            }
        }
    }

    /**
     * Removes and returns the entry the clock hand comes to first that was not used since the hand
     * last passed it, never {@code keep}; clears the used mark of each entry it passes.
     */
    Entry evict(Entry keep) {
        if (size == 0 || (size == 1 && keep != null)) {
            throw new IllegalStateException("nothing to evict from " + size + " entries");
        }
        while (true) {
            hand = (hand + 1) & mask;
            Entry e = slots[hand];
            if (e == null || e == keep) {
                continue;
            }
            if (e.referenced) {
                e.referenced = false;
                continue;
            }
            removeAt(hand);
            return e;
        }
    }

    /**
     * Empties slot {@code i} and moves back each later entry of the run that would otherwise no
     * longer be found from its home slot (deletion without tombstones, Knuth's algorithm R).
     */
    private void removeAt(int i) {
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            if (slots[j] == null) {
                break;
            }
            int home = hashes[j] & mask;
            boolean reachable = i <= j ? home > i && home <= j : home > i || home <= j;
            if (!reachable) {
                slots[i] = slots[j];
                hashes[i] = hashes[j];
                i = j;
            }
        }
        slots[i] = null;
        hashes[i] = 0;
        size--;
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }
}
