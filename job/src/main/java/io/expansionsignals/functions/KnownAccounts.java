package io.expansionsignals.functions;

import java.util.Arrays;

/**
 * The accounts that may have state in this subtask, as a blocked Bloom filter: {@link #mayHold}
 * answers false only for an account that never had state here, so its first event skips the
 * state backend's reads of what it cannot hold. On RocksDB each such read of an absent key
 * searches every table file that might hold it (no RocksDB bloom filter by default): at 1 M
 * accounts a new account's two reads were about a fifth of the account operator's thread.
 *
 * <p>Never forgets: an account whose state was cleared stays "may hold" (the formerly-active
 * marker outlives the account anyway). Grows by adding a filter twice the size of the last when
 * the last is full, since the keys are not kept to rehash; a look-up of an absent account probes
 * each filter, one cache line each.
 */
final class KnownAccounts {
    /** Bits per account of a full filter: with {@link #PROBES} probes in one 512-bit block, ~0.1 % false positives. */
    private static final int BITS_PER_ACCOUNT = 16;
    private static final int PROBES = 6;
    private static final int BLOCK_LONGS = 8; // 512 bits, one cache line
    static final int FIRST_CAPACITY = 1 << 14;

    private long[][] filters = new long[0][];
    /** Accounts the newest filter takes before the next one is added. */
    private int capacity;
    private int inNewest;
    private long added;

    KnownAccounts() {
        grow(FIRST_CAPACITY);
    }

    /** False only if {@link #add} was never called for {@code account}. */
    boolean mayHold(String account) {
        return held(hash(account));
    }

    /** Remembers {@code account} as possibly having state here; before its state is first written. */
    void add(String account) {
        long h = hash(account);
        if (held(h)) {
            return; // known, or a false positive that will keep answering "may hold" anyway
        }
        set(filters[filters.length - 1], h);
        added++;
        if (++inNewest >= capacity) {
            grow(capacity * 2);
        }
    }

    /** Accounts added (each counted once, false positives aside). */
    long size() {
        return added;
    }

    /** Heap the filters take. */
    long bytes() {
        long longs = 0;
        for (long[] f : filters) {
            longs += f.length;
        }
        return longs * Long.BYTES;
    }

    /** Whether any filter holds the hash; the newest first, as recent accounts are the likely ones. */
    private boolean held(long h) {
        for (int i = filters.length - 1; i >= 0; i--) {
            if (contains(filters[i], h)) {
                return true;
            }
        }
        return false;
    }

    private void grow(int newCapacity) {
        long blocks = ((long) newCapacity * BITS_PER_ACCOUNT + 511) / 512;
        int longs = Math.toIntExact(blocks * BLOCK_LONGS);
        filters = Arrays.copyOf(filters, filters.length + 1);
        filters[filters.length - 1] = new long[longs];
        capacity = newCapacity;
        inNewest = 0;
    }

    private static boolean contains(long[] f, long h) {
        int block = block(f, h);
        long probes = probes(h);
        for (int i = 0; i < PROBES; i++) {
            int bit = (int) (probes & 511);
            if ((f[block + (bit >>> 6)] & (1L << bit)) == 0) {
                return false;
            }
            probes >>>= 9;
        }
        return true;
    }

    private static void set(long[] f, long h) {
        int block = block(f, h);
        long probes = probes(h);
        for (int i = 0; i < PROBES; i++) {
            int bit = (int) (probes & 511);
            f[block + (bit >>> 6)] |= 1L << bit;
            probes >>>= 9;
        }
    }

    /** The block from the hash's high half (multiply-shift: any number of blocks, no modulo). */
    private static int block(long[] f, long h) {
        long blocks = f.length / BLOCK_LONGS;
        return (int) (((h >>> 32) * blocks) >>> 32) * BLOCK_LONGS;
    }

    /** Nine bits per probe, from a second mix of the hash so they do not repeat the block's bits. */
    private static long probes(long h) {
        return mix(h ^ 0x9e3779b97f4a7c15L);
    }

    /** FNV-1a over the characters, then a 64-bit finaliser (SplitMix64's) so every bit depends on every character. */
    static long hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h = (h ^ s.charAt(i)) * 0x100000001b3L;
        }
        return mix(h);
    }

    private static long mix(long h) {
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }
}
