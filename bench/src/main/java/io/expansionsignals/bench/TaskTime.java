package io.expansionsignals.bench;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A keyed task at each tenth of a row's input: where its wall time went, from Flink's accumulated
 * task gauges summed over subtasks (busy processing, idle for want of input, back-pressured by its
 * outputs), the event time its operator had reached, and the job's own work counters. So the log
 * says whether a slow stretch was the task working harder or waiting, and on what.
 */
final class TaskTime {
    private static final String[] GAUGES = {"accumulateBusyTimeMs", "accumulateIdleTimeMs", "accumulateBackPressuredTimeMs"};

    /** Name of the keyed operator, which heads its task's chain: a prefix of the task's name too. */
    private final String taskPrefix;
    private final long[][] at = new long[11][];
    /** The job's own work counted per tenth (timers fired, outputs written), by label. */
    private final Map<String, LongSupplier> counters;
    private final long[][] counted = new long[11][];
    /** The keyed operator's output watermark (least over its subtasks) at each tenth. */
    private final long[] watermarks = new long[11];

    TaskTime(String taskPrefix, Map<String, LongSupplier> counters) {
        this.taskPrefix = taskPrefix;
        this.counters = counters;
    }

    /** Records the task's accumulated times when tenth {@code t} (0 = the first record) is reached. */
    void mark(int t) {
        long[] now = new long[GAUGES.length];
        for (int g = 0; g < GAUGES.length; g++) {
            now[g] = CaptureReporter.taskGaugeSum(GAUGES[g], taskPrefix);
        }
        at[t] = now;
        counted[t] = counters.values().stream().mapToLong(LongSupplier::getAsLong).toArray();
        watermarks[t] = CaptureReporter.gaugeMin("currentOutputWatermark", taskPrefix);
    }

    /**
     * The event time the keyed operator had reached at the end of each tenth, to the hour, e.g.
     * "2022-10-24T05 ...": a watermark that runs ahead of the records fires timers early.
     */
    String watermarksByTenth() {
        StringBuilder out = new StringBuilder();
        for (int t = 1; t <= 10; t++) {
            long w = watermarks[t];
            out.append(t > 1 ? " " : "").append(at[t] == null || w == Long.MIN_VALUE ? "–"
                    : Instant.ofEpochMilli(w).toString().substring(0, 13));
        }
        return out.toString();
    }

    /** Whether any counter moved over the row: the floor's job has none of the product's work. */
    boolean countedAny() {
        if (counted[0] == null || counted[10] == null) {
            return false;
        }
        for (int c = 0; c < counted[0].length; c++) {
            if (counted[10][c] != counted[0][c]) {
                return true;
            }
        }
        return false;
    }

    /** Per counter, its count per 1,000 input events in each tenth, e.g. "timers 310 12 0 ...". */
    String countsByTenth(long expected) {
        StringBuilder out = new StringBuilder();
        int c = 0;
        for (String label : counters.keySet()) {
            out.append(c > 0 ? "; " : "").append(label);
            for (int t = 1; t <= 10; t++) {
                out.append(' ').append(counted[t] == null || counted[t - 1] == null ? "–"
                        : String.valueOf(Math.round((counted[t][c] - counted[t - 1][c]) * 1000.0 / (expected / 10.0))));
            }
            c++;
        }
        return out.toString();
    }

    /** Per tenth, "busy/idle/back-pressured" in percent of the task's wall time over it. */
    String byTenth() {
        StringBuilder out = new StringBuilder();
        for (int t = 1; t <= 10; t++) {
            out.append(t > 1 ? " " : "");
            if (at[t] == null || at[t - 1] == null) {
                out.append('–');
                continue;
            }
            long[] d = new long[GAUGES.length];
            long total = 0;
            for (int g = 0; g < GAUGES.length; g++) {
                d[g] = at[t][g] - at[t - 1][g];
                total += d[g];
            }
            out.append(total <= 0 ? "–" : String.format(Locale.ROOT, "%d/%d/%d",
                    Math.round(100.0 * d[0] / total), Math.round(100.0 * d[1] / total), Math.round(100.0 * d[2] / total)));
        }
        return out.toString();
    }
}
