package io.expansionsignals.bench;

import java.util.List;
import java.util.Locale;

/** The results as a markdown table and as CSV: ratios against the baselines measured in the same run. */
public final class Report {
    private Report() {}

    public static String markdown(List<Measurement> rows, List<LatencyRun.Result> latencies) {
        return markdown(rows, latencies, List.of());
    }

    /** @param capacities the rate each account count's latency loads are shares of */
    public static String markdown(List<Measurement> rows, List<LatencyRun.Result> latencies, List<LatencyRun.Capacity> capacities) {
        return markdown(rows, latencies, capacities, new Rounds());
    }

    /** @param rounds every round's Flink rows: the median of the ratio to the floor over them, and a table of them */
    public static String markdown(List<Measurement> rows, List<LatencyRun.Result> latencies, List<LatencyRun.Capacity> capacities,
            Rounds rounds) {
        StringBuilder b = new StringBuilder();
        // "later": the rate after the first share of the input (--later-from), the simulated customer base onboarded
        b.append("| accounts | variant | events | events/s | events/CPU-s | vs transport | vs domain | vs floor "
                + "| vs floor, median of rounds | vs floor per CPU "
                + "| later events/s | later vs floor | checkpoint ms | checkpoint MB | savepoint MB | state B/live account |\n");
        b.append("|---:|---|" + "---:|".repeat(14) + "\n");
        for (Measurement m : rows) {
            Measurement transport = find(rows, m.accounts(), "transport");
            Measurement domain = find(rows, m.accounts(), "domain");
            Measurement floor = find(rows, m.accounts(), "framework floor");
            b.append(String.format(Locale.ROOT, "| %,d | %s | %,d | %,.0f | %,.0f | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    m.accounts(), m.variant(), m.events(), m.eventsPerSecond(), m.eventsPerCoreSecond(),
                    ratio(m, transport), ratio(m, domain), ratio(m, floor), medianRatio(rounds, m), cpuRatio(m, floor),
                    m.laterEventsPerSecond() < 0 ? "–" : String.format(Locale.ROOT, "%,.0f", m.laterEventsPerSecond()),
                    laterRatio(m, floor),
                    m.checkpointMs() < 0 ? "–" : String.valueOf(m.checkpointMs()),
                    megabytes(m.checkpointBytes()), megabytes(m.savepointBytes()),
                    m.stateBytesPerAccount() < 0 ? "–" : String.format(Locale.ROOT, "%,.0f", m.stateBytesPerAccount())));
        }
        b.append(rounds.markdown());
        if (!latencies.isEmpty()) {
            b.append("\n| accounts | job | load | rate asked ev/s | rate achieved ev/s | outputs sampled | p50 ms | p99 ms |"
                    + " p99 vs floor | checkpoint p50 ms | checkpoint max ms | keyed task: before the barrier (its CPU) / sync / async p50 ms |\n");
            b.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (LatencyRun.Result r : latencies) {
                LatencyRun.Result floor = latencies.stream().filter(f -> f.variant().equals(LatencyRun.FLOOR)
                        && f.accounts() == r.accounts() && f.sameLoad(r)).findFirst().orElse(null);
                String vsFloor = floor == null || r == floor || floor.p99() <= 0 ? "–"
                        : String.format(Locale.ROOT, "%.2f", (double) r.p99() / floor.p99());
                b.append(String.format(Locale.ROOT, "| %,d | %s | %s | %,.0f | %,.0f | %,d | %d | %d | %s | %d | %d | %s / %s / %s |%n",
                        r.accounts(), r.variant(), load(r, capacities), r.targetRate(), r.achievedRate(), r.samples(), r.p50(),
                        r.p99(), vsFloor, r.checkpointP50(), r.checkpointMax(), beforeBarrier(r.keyed()),
                        millis(r.keyed().syncP50()), millis(r.keyed().asyncP50())));
            }
            for (LatencyRun.Capacity c : capacities) {
                b.append(String.format(Locale.ROOT, "%nLoad at %,d accounts: share of %s%n", c.accounts(), c.live() > 0
                        ? String.format(Locale.ROOT, "the live sustained rate, %,.0f ev/s (%.2f of the catch-up rate %,.0f ev/s)",
                                c.base(), c.live() / c.catchUp(), c.catchUp())
                        : String.format(Locale.ROOT, "the catch-up rate, %,.0f ev/s", c.catchUp())));
            }
            if (latencies.stream().anyMatch(r -> !r.variant().equals(LatencyRun.PRODUCT) && !r.variant().equals(LatencyRun.FLOOR))) {
                b.append(String.format(Locale.ROOT, "%nShares are of %s's sustained rate; every job at a load is sent the same"
                        + " rate.%n", LatencyRun.PRODUCT));
            }
        }
        return b.toString();
    }

    public static String csv(List<Measurement> rows, List<LatencyRun.Result> latencies) {
        return csv(rows, latencies, new Rounds());
    }

    /** The last column is the median over {@code rounds} of the ratio to the floor, -1 where there is none. */
    public static String csv(List<Measurement> rows, List<LatencyRun.Result> latencies, Rounds rounds) {
        StringBuilder b = new StringBuilder("accounts,variant,events,seconds,cpu_seconds,events_per_s,events_per_cpu_s,"
                + "checkpoint_ms,checkpoint_bytes,savepoint_bytes,live_accounts,state_bytes_per_live_account,latency_p50_ms,"
                + "latency_p99_ms,later_events_per_s,vs_floor_median_of_rounds,fixed_rate_events_per_s,fixed_rate_latency_p50_ms,"
                + "fixed_rate_latency_p99_ms\n");
        for (Measurement m : rows) {
            LatencyRun.Result l = latency(latencies, m.accounts(), m.variant());
            LatencyRun.Result fixed = atFixedRate(latencies, m.accounts(), m.variant());
            b.append(String.format(Locale.ROOT, "%d,\"%s\",%d,%.3f,%.3f,%.0f,%.0f,%d,%d,%d,%d,%.0f,%d,%d,%.0f,%.3f,%.0f,%d,%d%n", m.accounts(),
                    m.variant(), m.events(), m.seconds(), m.cpuSeconds(), m.eventsPerSecond(), m.eventsPerCoreSecond(),
                    m.checkpointMs(), m.checkpointBytes(), m.savepointBytes(), m.liveAccounts(), m.stateBytesPerAccount(), l == null ? -1 : l.p50(),
                    l == null ? -1 : l.p99(), m.laterEventsPerSecond(),
                    rounds.medianRatioToFloor(m.accounts(), m.variant()).orElse(-1), fixed == null ? -1 : fixed.targetRate(),
                    fixed == null ? -1 : fixed.p50(), fixed == null ? -1 : fixed.p99()));
        }
        return b.toString();
    }

    /** The median over the rounds of this row's ratio to its round's floor, e.g. "0.57"; "–" without rounds. */
    static String medianRatio(Rounds rounds, Measurement m) {
        var median = rounds.medianRatioToFloor(m.accounts(), m.variant());
        return median.isPresent() ? String.format(Locale.ROOT, "%.2f", median.getAsDouble()) : "–";
    }

    /** A run's load; a fixed rate with its share of the sustained rate where that was measured, "30,000 ev/s (57 %)". */
    static String load(LatencyRun.Result r, List<LatencyRun.Capacity> capacities) {
        if (!r.atFixedRate()) {
            return r.load();
        }
        return capacities.stream().filter(c -> c.accounts() == r.accounts()).findFirst()
                .map(c -> String.format(Locale.ROOT, "%s (%.0f %%)", r.load(), 100 * r.targetRate() / c.base()))
                .orElse(r.load());
    }

    /** The flush before the barrier, with the task thread's CPU for it in brackets where measured. */
    private static String beforeBarrier(LatencyRun.KeyedPath path) {
        return path.flushCpuP50() < 0 ? millis(path.flushP50()) : path.flushP50() + " (" + path.flushCpuP50() + ")";
    }

    private static String millis(long ms) {
        return ms < 0 ? "–" : String.valueOf(ms);
    }

    private static String megabytes(long bytes) {
        return bytes < 0 ? "–" : String.format(Locale.ROOT, "%.1f", bytes / 1e6);
    }

    static Measurement find(List<Measurement> rows, int accounts, String prefix) {
        return rows.stream().filter(r -> r.accounts() == accounts && r.variant().startsWith(prefix)).findFirst().orElse(null);
    }

    /** The variant's latency at the highest share of the sustained rate measured for that account count, or null. */
    static LatencyRun.Result latency(List<LatencyRun.Result> latencies, int accounts, String variant) {
        return runs(latencies, accounts, variant, false).max(java.util.Comparator.comparingDouble(LatencyRun.Result::fraction))
                .orElse(null);
    }

    /** The variant's latency at the lowest fixed rate measured for that account count, or null. */
    static LatencyRun.Result atFixedRate(List<LatencyRun.Result> latencies, int accounts, String variant) {
        return runs(latencies, accounts, variant, true).min(java.util.Comparator.comparingDouble(LatencyRun.Result::targetRate))
                .orElse(null);
    }

    private static java.util.stream.Stream<LatencyRun.Result> runs(List<LatencyRun.Result> latencies, int accounts,
            String variant, boolean atFixedRate) {
        return latencies.stream().filter(r -> r.accounts() == accounts && r.variant().equals(variant)
                && r.atFixedRate() == atFixedRate);
    }

    /** Events per CPU-second relative to the baseline's: robust when other load shares the machine. */
    static String cpuRatio(Measurement m, Measurement baseline) {
        if (baseline == null || baseline == m || baseline.eventsPerCoreSecond() <= 0) {
            return "–";
        }
        return String.format(Locale.ROOT, "%.2f", m.eventsPerCoreSecond() / baseline.eventsPerCoreSecond());
    }

    /** The later rates' ratio, e.g. "0.51"; "–" when either was not measured. */
    static String laterRatio(Measurement m, Measurement baseline) {
        if (baseline == null || baseline == m || m.laterEventsPerSecond() <= 0 || baseline.laterEventsPerSecond() <= 0) {
            return "–";
        }
        return String.format(Locale.ROOT, "%.2f", m.laterEventsPerSecond() / baseline.laterEventsPerSecond());
    }

    /** This row's throughput as a share of the baseline's, e.g. "0.62"; "–" without a baseline. */
    static String ratio(Measurement m, Measurement baseline) {
        if (baseline == null || baseline == m) {
            return "–";
        }
        return String.format(Locale.ROOT, "%.2f", m.eventsPerSecond() / baseline.eventsPerSecond());
    }
}
