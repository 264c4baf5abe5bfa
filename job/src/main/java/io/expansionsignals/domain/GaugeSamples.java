package io.expansionsignals.domain;

import java.util.Arrays;

/**
 * The readings a GAUGE metric keeps for its trend and forecast ({@link MetricState#gaugeTimes},
 * {@link MetricState#gaugeValues}): in time order, at most {@link #MAX} of them, none more than
 * 30 days older than the newest.
 */
final class GaugeSamples {
    static final int MAX = 30;
    private static final long MAX_AGE = 30 * UsagePeriod.DAY_MILLIS;

    private GaugeSamples() {}

    /**
     * Inserts a reading in time order, then drops the oldest while over the count or age bound. A
     * full window taking a newer reading (the usual case) shifts in place; otherwise the arrays are
     * rebuilt at their new size.
     */
    static void add(MetricState m, long at, long value) {
        m.derivedTrendKnown = false;
        long[] times = m.gaugeTimes;
        long[] values = m.gaugeValues;
        int n = times.length;
        int i = n; // where the new reading goes
        while (i > 0 && times[i - 1] > at) {
            i--;
        }
        long newest = i == n ? at : times[n - 1];
        int from = 0; // the oldest reading kept, as an index into the n + 1 readings after the insert
        while (n + 1 - from > MAX || newest - timeAfterInsert(times, i, at, from) > MAX_AGE) {
            from++;
        }
        if (from == 1 && i == n) {
            System.arraycopy(times, 1, times, 0, n - 1);
            System.arraycopy(values, 1, values, 0, n - 1);
            times[n - 1] = at;
            values[n - 1] = value;
            return;
        }
        long[] t = new long[n + 1];
        long[] v = new long[n + 1];
        System.arraycopy(times, 0, t, 0, i);
        System.arraycopy(values, 0, v, 0, i);
        t[i] = at;
        v[i] = value;
        System.arraycopy(times, i, t, i + 1, n - i);
        System.arraycopy(values, i, v, i + 1, n - i);
        m.gaugeTimes = from == 0 ? t : Arrays.copyOfRange(t, from, n + 1);
        m.gaugeValues = from == 0 ? v : Arrays.copyOfRange(v, from, n + 1);
    }

    /**
     * The newest reading over the oldest, if the readings span at least a day and the oldest is
     * above zero; NaN otherwise. Taken from the arrays once per change of the readings.
     */
    static double trend(MetricState m) {
        if (!m.derivedTrendKnown) {
            long[] times = m.gaugeTimes;
            long[] values = m.gaugeValues;
            int k = values.length;
            m.derivedTrend = k >= 2 && values[0] > 0 && times[k - 1] - times[0] >= UsagePeriod.DAY_MILLIS
                    ? (double) values[k - 1] / values[0] : Double.NaN;
            m.derivedTrendKnown = true;
        }
        return m.derivedTrend;
    }

    /** The time at index {@code j} of the readings as they are once {@code at} is inserted at {@code i}. */
    private static long timeAfterInsert(long[] times, int i, long at, int j) {
        return j < i ? times[j] : j == i ? at : times[j - 1];
    }
}
