package io.expansionsignals.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command line of the benchmark.
 *
 * @param events input records per account count (the generator finishes its last step, so slightly more)
 * @param accounts account counts to scale over
 * @param latencyFractions shares of the sustained RocksDB rate the latency runs send at, one run each (the input-rate
 *     axis); empty skips them
 * @param latencyRates fixed rates in ev/s the latency runs also send at, the same at every account count (default
 *     30,000, below the live rate at 1 M accounts in runs 34-38): the share rows move with the sustained rate the
 *     run measured, these compare runs and scales at equal load; empty ({@code --latency-rates 0}) skips them
 * @param liveBase whether that sustained rate is the live one, measured first with inputs arriving faster than the job
 *     takes them (default), or the catch-up rate on the pre-loaded backlog ({@code --latency-base catch-up})
 * @param latencySeconds how long latency is measured, after a few seconds of ramp-up
 * @param warmUp whether a smaller round runs first, unreported, so the JIT has compiled the hot paths
 * @param rounds how many times each Flink row runs, in turn, on each pre-loaded input; the main table reports the
 *     last, and the ratio to the floor is also given round by round and as the median of all ({@link Rounds}).
 *     A job's code is compiled over its first rounds (at 1 M accounts the product row paid 12.7 / 9.1 / 7.6 / 3.7 /
 *     2.7 µs of compilation per event in rounds 1–5, the floor 10.2 / 6.0 / 5.9 / 2.4 / 1.8), and a task manager
 *     that runs one job for days does not pay that (five rounds since change 39 of docs/performance-history.md, three before)
 * @param laterFrom the share of each Flink row's input after which a second rate is taken: the rate once the
 *     simulated customer base is established (its onboarding brings milestone timer bursts and more outputs)
 * @param out directory for latest.md, latest.csv and latest.png
 * @param compareLinger also run RocksDB + EO with the sinks' old 5 ms linger, for a before/after in one run
 * @param variants which rows to measure (see {@link #ALL_VARIANTS}); all by default, a subset to profile one
 * @param latencyVariants the product variants the latency runs measure, each at every load and at the same rates
 *     (the shares are of RocksDB + exactly-once's sustained rate); all three by default, so the table shows what
 *     exactly-once and the state backend cost in latency, not only in throughput. Only those also in
 *     {@code variants} run ({@link #latencyJobs()}).
 * @param timerBurstDays how far event time jumps after each pre-loaded input in the timer-burst rows ({@link
 *     TimerBurst}): every account's milestones due meanwhile fire at once; 0 skips them. They run when the product
 *     (RocksDB + exactly-once) is measured, with the timer floor beside it when the floor is.
 * @param cohortBurst accounts of a cohort that all sign up within an hour ({@link Preloader#loadCohort}), whose
 *     burst is measured after the account counts, {@code timerBurstDays} after its first six hours: the product with and
 *     without Flink's interruptible timers, and the timer floor when the floor is measured; 0 (default) skips it.
 *     With {@code --accounts none} it is all that runs.
 */
public record BenchArgs(long events, List<Integer> accounts, List<Double> latencyFractions, List<Integer> latencyRates,
        boolean liveBase, int latencySeconds, boolean warmUp, int rounds, double laterFrom, Path out, boolean compareLinger,
        List<String> variants, List<ProductJob.Variant> latencyVariants, int timerBurstDays, int cohortBurst) {
    /** Row names for {@code --variants}: the three baselines and the product variants. */
    public static final List<String> ALL_VARIANTS = List.of("transport", "domain", "floor", "ROCKSDB_EO", "HASHMAP_EO",
            "ROCKSDB_ALO");

    public boolean runs(String variant) {
        return variants.contains(variant);
    }

    /** The product variants the latency runs measure: those asked for that are also measured at all. */
    public List<ProductJob.Variant> latencyJobs() {
        return latencyVariants.stream().filter(v -> runs(v.name())).toList();
    }


    public static BenchArgs parse(String[] args) {
        long events = 1_000_000;
        List<Integer> accounts = List.of(10_000, 100_000);
        List<Double> fractions = List.of(0.35, 0.7);
        List<Integer> rates = List.of(30_000);
        boolean liveBase = true;
        int seconds = 30;
        boolean warmUp = true;
        int rounds = 5;
        double laterFrom = 0.3;
        Path out = Path.of("bench", "results");
        boolean compareLinger = false;
        List<String> variants = ALL_VARIANTS;
        List<ProductJob.Variant> latencyVariants = List.of(ProductJob.Variant.values());
        int timerBurstDays = 200;
        int cohortBurst = 0;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--events" -> { events = Long.parseLong(v.replace("_", "")); i++; }
                case "--accounts" -> { accounts = ints(v); i++; }
                case "--latency-fraction", "--latency-fractions" -> { fractions = fractions(v); i++; }
                case "--latency-rate", "--latency-rates" -> { rates = rates(v); i++; }
                case "--latency-base" -> { liveBase = latencyBase(v); i++; }
                case "--latency-seconds" -> { seconds = Integer.parseInt(v); i++; }
                case "--no-warm-up" -> warmUp = false;
                case "--rounds" -> { rounds = rounds(v); i++; }
                case "--later-from" -> { laterFrom = laterFrom(v); i++; }
                case "--compare-linger" -> compareLinger = true;
                case "--out" -> { out = Path.of(v); i++; }
                case "--variants" -> { variants = variants(v); i++; }
                case "--latency-variants" -> { latencyVariants = latencyVariants(v); i++; }
                case "--timer-burst-days" -> { timerBurstDays = timerBurstDays(v); i++; }
                case "--cohort-burst" -> { cohortBurst = cohortBurst(v); i++; }
                default -> throw new IllegalArgumentException("unknown argument " + a
                        + "; usage: [--events N] [--accounts 10000,100000] [--latency-fraction 0.35,0.7]"
                        + " [--latency-rates 30000]"
                        + " [--latency-base live|catch-up] [--latency-seconds 30] [--no-warm-up] [--rounds 5] [--later-from 0.3] [--compare-linger]"
                        + " [--out dir]"
                        + " [--variants " + String.join(",", ALL_VARIANTS) + "]"
                        + " [--latency-variants ROCKSDB_EO,HASHMAP_EO,ROCKSDB_ALO] [--timer-burst-days 200]"
                        + " [--cohort-burst ACCOUNTS (0)]");
            }
        }
        return new BenchArgs(events, accounts, fractions, rates, liveBase, seconds, warmUp, rounds, laterFrom, out, compareLinger,
                variants, latencyVariants, timerBurstDays, cohortBurst);
    }

    /** Accounts from 0 (none) to 5,000,000 (the generator holds each in memory while loading). */
    static int cohortBurst(String v) {
        List<Integer> n;
        try {
            n = ints(v == null ? "" : v);
        } catch (NumberFormatException e) {
            n = List.of();
        }
        if (n.size() != 1 || n.get(0) < 0 || n.get(0) > 5_000_000) {
            throw new IllegalArgumentException("--cohort-burst must be an account count from 0 (none) to 5000000, was " + v);
        }
        return n.get(0);
    }

    /**
     * Days from 0 (no timer-burst rows) to 3,650. Past 180 every tenure milestone of the benchmark's
     * accounts falls due; the renewal preparation of yearly terms from 275 on.
     */
    static int timerBurstDays(String v) {
        int days;
        try {
            days = Integer.parseInt(v == null ? "" : v.trim());
        } catch (NumberFormatException e) {
            days = -1;
        }
        if (days < 0 || days > 3650) {
            throw new IllegalArgumentException("--timer-burst-days must be a whole number of days from 0 (none) to 3650, was "
                    + v);
        }
        return days;
    }

    /** At least one: the reported round. */
    static int rounds(String v) {
        int n;
        try {
            n = Integer.parseInt(v == null ? "" : v.trim());
        } catch (NumberFormatException e) {
            n = 0;
        }
        if (n < 1) {
            throw new IllegalArgumentException("--rounds must be at least 1 (the reported round), was " + v);
        }
        return n;
    }

    /** A share in [0, 1): how much of a Flink row's input is processed before the second rate is taken. */
    static double laterFrom(String v) {
        double share = Double.parseDouble(v);
        if (!(share >= 0 && share < 1)) {
            throw new IllegalArgumentException("--later-from must be at least 0 and below 1, was " + v);
        }
        return share;
    }

    /** {@code live} or {@code catch-up}: whether the latency runs' shares are of the live or the catch-up rate. */
    static boolean latencyBase(String v) {
        return switch (v == null ? "" : v) {
            case "live" -> true;
            case "catch-up" -> false;
            default -> throw new IllegalArgumentException("--latency-base must be live or catch-up, was " + v);
        };
    }

    /** Comma-separated shares in (0, 1], ascending in the result; a single 0 means none. */
    static List<Double> fractions(String csv) {
        List<Double> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            double f = Double.parseDouble(s.trim());
            if (f == 0 && !csv.contains(",")) {
                return List.of();
            }
            if (!(f > 0 && f <= 1)) {
                throw new IllegalArgumentException("latency fraction must be in (0, 1], was " + s.trim());
            }
            out.add(f);
        }
        out.sort(null);
        return List.copyOf(out);
    }

    /** Comma-separated rates in ev/s (30000, 30k), ascending in the result; a single 0 means none. */
    static List<Integer> rates(String csv) {
        List<Integer> out = new ArrayList<>();
        List<Integer> asked;
        try {
            asked = ints(csv == null ? "" : csv);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--latency-rates must be rates in ev/s (30000 or 30k), was " + csv, e);
        }
        for (int rate : asked) {
            if (rate == 0 && !csv.contains(",")) {
                return List.of();
            }
            if (rate <= 0) {
                throw new IllegalArgumentException("--latency-rates must be positive rates in ev/s, was " + csv);
            }
            out.add(rate);
        }
        out.sort(null);
        return List.copyOf(out);
    }

    private static List<String> variants(String csv) {
        List<String> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            String name = s.trim();
            if (!ALL_VARIANTS.contains(name)) {
                throw new IllegalArgumentException("unknown variant " + name + "; one of " + ALL_VARIANTS);
            }
            out.add(name);
        }
        return out;
    }

    /** Comma-separated product variants, in the order given, each once; at least one. */
    static List<ProductJob.Variant> latencyVariants(String csv) {
        List<ProductJob.Variant> out = new ArrayList<>();
        for (String s : (csv == null ? "" : csv).split(",", -1)) {
            ProductJob.Variant variant;
            try {
                variant = ProductJob.Variant.valueOf(s.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--latency-variants must be product variants, some of "
                        + java.util.Arrays.toString(ProductJob.Variant.values()) + ", was " + csv, e);
            }
            if (!out.contains(variant)) {
                out.add(variant);
            }
        }
        return List.copyOf(out);
    }

    private static List<Integer> ints(String csv) {
        List<Integer> out = new ArrayList<>();
        if (csv.trim().equals("none")) {
            return out; // --accounts none: only the cohort burst
        }
        for (String s : csv.split(",")) {
            out.add(Integer.parseInt(s.trim().replace("_", "").replace("k", "000").replace("M", "000000")));
        }
        return out;
    }
}
