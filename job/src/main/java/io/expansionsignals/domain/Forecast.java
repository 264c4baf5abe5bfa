package io.expansionsignals.domain;

import java.util.OptionalLong;

/**
 * Forecast to breach: at the current trend, when does usage reach the limit?
 * DELTA metrics extrapolate the in-period run rate (usage so far / time elapsed in the period);
 * GAUGE metrics fit a least-squares line through their recent readings.
 */
public final class Forecast {
    private Forecast() {}

    /** Projected breach time of a DELTA metric, if its run rate reaches the limit at all. */
    public static OptionalLong deltaBreach(long usage, long limit, long periodStart, long now, long minElapsed) {
        long elapsed = now - periodStart;
        if (limit <= 0 || usage <= 0 || usage >= limit || elapsed < Math.max(1, minElapsed)) {
            return OptionalLong.empty();
        }
        double ratePerMs = (double) usage / elapsed;
        return OptionalLong.of(periodStart + (long) Math.ceil(limit / ratePerMs));
    }

    /** Projected breach time of a GAUGE metric from its readings, if the trend is rising. */
    public static OptionalLong gaugeBreach(long[] times, long[] values, long limit, long minSpan) {
        int n = times.length;
        if (limit <= 0 || n < 3 || times[n - 1] - times[0] < Math.max(1, minSpan)) {
            return OptionalLong.empty();
        }
        long t0 = times[0];
        double meanT = 0;
        double meanV = 0;
        for (int i = 0; i < n; i++) {
            meanT += times[i] - t0;
            meanV += values[i];
        }
        meanT /= n;
        meanV /= n;
        double cov = 0;
        double var = 0;
        for (int i = 0; i < n; i++) {
            double dt = times[i] - t0 - meanT;
            cov += dt * (values[i] - meanV);
            var += dt * dt;
        }
        if (var == 0) {
            return OptionalLong.empty();
        }
        double slope = cov / var;
        long lastT = times[n - 1];
        long lastV = values[n - 1];
        if (slope <= 0 || lastV >= limit) {
            return OptionalLong.empty();
        }
        // Project from the fitted value at the latest reading, not the raw reading, to damp noise.
        double fittedNow = meanV + slope * (lastT - t0 - meanT);
        double remaining = Math.max(0, limit - fittedNow);
        return OptionalLong.of(lastT + (long) Math.ceil(remaining / slope));
    }
}
