package io.expansionsignals.functions;

/**
 * Puts a flush's changed accounts in RocksDB's order of their keys: key group, then the key as
 * Flink's string serializer writes it, which is its length and then its characters for the ASCII
 * ids of fewer than 127 characters. Any other order writes the same state, only with less of the
 * speed-up, so the rare key that is not such an id is not special-cased.
 *
 * <p>Each key's group and characters are copied once into dense arrays, and the sort compares
 * those: a sort over the cache's entries reached two cold objects per comparison (an entry and its
 * key), and at 1 M accounts took a sixth of the flush. Reused from flush to flush.
 */
final class FlushOrder {
    private static final int INSERTION_SORT_BELOW = 16;

    private int[] group = new int[256];
    private int[] from = new int[256];
    private int[] length = new int[256];
    private int[] order = new int[256];
    private char[] chars = new char[4096];
    private int size;
    private int used;

    void clear() {
        size = 0;
        used = 0;
    }

    int size() {
        return size;
    }

    /** Adds {@code key} of {@code keyGroup} as the next index, from 0. */
    void add(int keyGroup, String key) {
        if (size == group.length) {
            int n = 2 * size;
            group = java.util.Arrays.copyOf(group, n);
            from = java.util.Arrays.copyOf(from, n);
            length = java.util.Arrays.copyOf(length, n);
            order = java.util.Arrays.copyOf(order, n);
        }
        int len = key.length();
        if (used + len > chars.length) {
            chars = java.util.Arrays.copyOf(chars, Math.max(2 * chars.length, used + len));
        }
        key.getChars(0, len, chars, used);
        group[size] = keyGroup;
        from[size] = used;
        length[size] = len;
        used += len;
        size++;
    }

    /** The indexes given so far in key order; the first {@link #size} entries of the returned array are valid until the next {@link #add}. */
    int[] sorted() {
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        sort(0, size - 1);
        return order;
    }

    /** Quicksort with a median-of-three pivot, insertion sort for short ranges; recursion on the shorter side only. */
    private void sort(int lo, int hi) {
        while (hi - lo >= INSERTION_SORT_BELOW) {
            int mid = (lo + hi) >>> 1;
            if (compare(order[mid], order[lo]) < 0) {
                swap(mid, lo);
            }
            if (compare(order[hi], order[lo]) < 0) {
                swap(hi, lo);
            }
            if (compare(order[hi], order[mid]) < 0) {
                swap(hi, mid);
            }
            int pivot = order[mid];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (compare(order[i], pivot) < 0) {
                    i++;
                }
                while (compare(order[j], pivot) > 0) {
                    j--;
                }
                if (i <= j) {
                    swap(i++, j--);
                }
            }
            if (j - lo < hi - i) {
                sort(lo, j);
                lo = i;
            } else {
                sort(i, hi);
                hi = j;
            }
        }
        for (int i = lo + 1; i <= hi; i++) {
            int x = order[i];
            int j = i - 1;
            while (j >= lo && compare(order[j], x) > 0) {
                order[j + 1] = order[j];
                j--;
            }
            order[j + 1] = x;
        }
    }

    private int compare(int a, int b) {
        if (group[a] != group[b]) {
            return Integer.compare(group[a], group[b]);
        }
        if (length[a] != length[b]) {
            return Integer.compare(length[a], length[b]);
        }
        return java.util.Arrays.compare(chars, from[a], from[a] + length[a], chars, from[b], from[b] + length[b]);
    }

    private void swap(int i, int j) {
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
}
