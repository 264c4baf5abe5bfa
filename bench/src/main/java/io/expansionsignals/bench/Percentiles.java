package io.expansionsignals.bench;

import java.util.Arrays;

/** Nearest-rank percentiles over recorded latencies (ms); a plain sorted array is exact and small enough here. */
public final class Percentiles {
    private long[] values = new long[1024];
    private int size;

    public void add(long v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = v;
    }

    public int count() {
        return size;
    }

    /**
     * Nearest-rank percentile: the smallest value with at least {@code p} % of values at or below it.
     *
     * @param p in (0, 100]
     * @return the value, or -1 when nothing was recorded
     */
    public long percentile(double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], was " + p);
        }
        if (size == 0) {
            return -1;
        }
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * size);
        return sorted[Math.max(rank, 1) - 1];
    }
}
