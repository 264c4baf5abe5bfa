package io.expansionsignals.bench;

import io.expansionsignals.workload.WorkloadSpec;
import io.expansionsignals.workload.WorkloadTopics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.util.FileUtils;

/**
 * Measures the job against its ceilings, side by side, in one JVM on one in-process broker:
 * transport ceiling, domain ceiling, framework floor and three product variants per account
 * count, then latency at a fraction of the sustained rate. Results are figures and ratios,
 * never pass/fail: run-to-run noise on a shared 2-core machine is ±20–30 %.
 */
public final class Benchmark {
    /**
     * The cohort's accounts all sign up within this long, and its input is their first 6 h (one step of
     * the generator): ~10 records per account for a day would be 10 M at 1 M accounts.
     */
    static final Duration COHORT_WINDOW = Duration.ofHours(1);
    static final int COHORT_STEPS = 1;
    static final Duration COHORT_READ = WorkloadSpec.DEFAULT_STEP.multipliedBy(COHORT_STEPS);

    private Benchmark() {}

    public static void main(String[] argv) throws Exception {
        Path work = Files.createTempDirectory("bench-checkpoints");
        // Every Flink run checkpoints here (hundreds of MB per run at 1 M accounts); the run ends in
        // System.exit, so the hook is what removes it, after a failure or Ctrl-C as well.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> FileUtils.deleteDirectoryQuietly(work.toFile())));
        String report = run(BenchArgs.parse(argv), work);
        System.out.println();
        System.out.println(report);
        System.exit(0); // Flink and Kafka leave non-daemon threads behind
    }

    /**
     * Runs everything {@code args} asks for, checkpointing under {@code work}, writes the result
     * files to {@code args.out()} after each account count, and returns the tables as markdown.
     */
    static String run(BenchArgs args, Path work) throws Exception {
        List<Measurement> rows = new ArrayList<>();
        List<LatencyRun.Result> latencies = new ArrayList<>();
        List<LatencyRun.Capacity> capacities = new ArrayList<>();
        List<TimerBurst.Result> bursts = new ArrayList<>();
        List<TimerBurst.Result> cohortBursts = new ArrayList<>();
        Duration gap = Duration.ofDays(args.timerBurstDays());
        Rounds rounds = new Rounds();
        try (Infra infra = Infra.start()) {
            log("broker %s, registry %s, %d cores", infra.bootstrap(), infra.registryUrl(),
                    Runtime.getRuntime().availableProcessors());
            if (args.warmUp()) {
                int accounts = Math.min(10_000, args.accounts().get(0));
                Preloader.Loaded warm = Preloader.load(infra, "warm", accounts, Math.max(100_000, args.events() / 5));
                log("warm-up round (not reported) over %,d records", warm.records());
                runVariants(infra, warm, work, new ArrayList<>(), new Rounds(), args, 1);
            }
            for (int accounts : args.accounts()) {
                Preloader.Loaded in = Preloader.load(infra, "in", accounts, args.events());
                log("pre-loaded %,d records over %,d accounts in %.1f s (%,.0f records/s)", in.records(), accounts,
                        in.seconds(), in.records() / in.seconds());
                runVariants(infra, in, work, rows, rounds, args, args.rounds());
                if (args.runs("ROCKSDB_EO") && !args.latencyJobs().isEmpty() && !args.latencyFractions().isEmpty()) {
                    LatencyRun.Capacity capacity = capacity(infra, work, accounts,
                            Report.find(rows, accounts, ProductJob.Variant.ROCKSDB_EO.label), args);
                    capacities.add(capacity);
                    for (double fraction : args.latencyFractions()) {
                        double rate = experimentRate() > 0 ? experimentRate() : capacity.base() * fraction;
                        log("latency at %.0f %% of %,.0f ev/s = %,.0f ev/s for %d s", fraction * 100, capacity.base(), rate,
                                args.latencySeconds());
                        latency(infra, work, accounts, fraction, rate, args, latencies);
                    }
                }
                if (!args.latencyJobs().isEmpty()) {
                    for (int rate : args.latencyRates()) {
                        log("latency at a fixed %,d ev/s for %d s", rate, args.latencySeconds());
                        latency(infra, work, accounts, LatencyRun.Result.FIXED_RATE, rate, args, latencies);
                    }
                }
                if (args.timerBurstDays() > 0 && args.runs("ROCKSDB_EO")) {
                    // last: the tail it appends would reach every row that reads this input after it
                    timerBursts(infra, in, gap, work, args, bursts);
                }
                write(args.out(), rows, latencies, capacities, rounds, bursts, gap); // after each point: a later failure keeps what was measured
            }
            if (args.cohortBurst() > 0) {
                cohortBursts(infra, work, args, gap, cohortBursts);
                writeCohort(args.out(), cohortBursts, gap);
            }
        }
        String main = rows.isEmpty() && latencies.isEmpty() ? "" : Report.markdown(rows, latencies, capacities, rounds);
        return main + TimerBurst.markdown(bursts, gap) + TimerBurst.cohortMarkdown(cohortBursts, COHORT_WINDOW, COHORT_READ, gap);
    }

    /**
     * The sustained rate the latency shares are taken of. The catch-up rate is measured on a backlog
     * with the cores to the job alone; live, a producer and the broker's appends share them, so the
     * job sustains less, and 70 % of the catch-up rate can be more than it takes live.
     */
    private static LatencyRun.Capacity capacity(Infra infra, Path work, int accounts, Measurement catchUp, BenchArgs args)
            throws Exception {
        if (!args.liveBase() || experimentRate() > 0) {
            return new LatencyRun.Capacity(accounts, catchUp.eventsPerSecond(), 0);
        }
        double live = LatencyRun.liveRate(infra, accounts, catchUp.eventsPerSecond(), Duration.ofSeconds(20),
                work.resolve("live-rate-" + accounts));
        log("live sustained rate: %,.0f ev/s processed while inputs arrived at the catch-up rate %,.0f ev/s (%.2f of it)",
                live, catchUp.eventsPerSecond(), live / catchUp.eventsPerSecond());
        return new LatencyRun.Capacity(accounts, catchUp.eventsPerSecond(), live);
    }

    /**
     * Experiments: {@code -Dbench.latency-rate=<ev/s>} puts every share row at that rate, to compare settings at
     * equal load (the live rate is then not measured); 0 when not set.
     */
    private static long experimentRate() {
        return Long.getLong("bench.latency-rate", 0);
    }

    /**
     * Latency of each product variant asked for and of the framework floor at {@code rate}: a share {@code fraction} of
     * the product's sustained rate, or a fixed rate ({@link LatencyRun.Result#FIXED_RATE}). The floor runs right after
     * the first variant (by default RocksDB + exactly-once, the one the targets are for), so the machine's phase is the same for
     * the pair the "p99 vs floor" ratio compares; the other variants follow at the same rate.
     */
    private static void latency(Infra infra, Path work, int accounts, double fraction, double rate, BenchArgs args,
            List<LatencyRun.Result> latencies) throws Exception {
        Duration measure = Duration.ofSeconds(args.latencySeconds());
        String dir = accounts + "-" + (fraction == LatencyRun.Result.FIXED_RATE ? Math.round(rate) + "evs"
                : Math.round(fraction * 100) + "pct");
        List<ProductJob.Variant> jobs = args.latencyJobs();
        for (int i = 0; i < jobs.size(); i++) {
            ProductJob.Variant variant = jobs.get(i);
            LatencyRun.Result r = LatencyRun.product(infra, variant, accounts, fraction, rate, measure,
                    work.resolve("latency-" + variant.backend + "-" + variant.guarantee + "-" + dir));
            log("  %s: p50 %d ms, p99 %d ms over %,d outputs (achieved %,.0f ev/s)", variant.label, r.p50(), r.p99(),
                    r.samples(), r.achievedRate());
            latencies.add(r);
            if (i == 0 && args.runs("floor")) {
                LatencyRun.Result f = LatencyRun.floor(infra, accounts, fraction, rate, measure,
                        work.resolve("latency-floor-" + dir));
                log("  floor at the same rate: p50 %d ms, p99 %d ms over %,d outputs (achieved %,.0f ev/s)", f.p50(), f.p99(),
                        f.samples(), f.achievedRate());
                latencies.add(f);
            }
        }
    }

    /** The timer-burst rows of one input: its tail appended, then the timer floor (if asked for) and the product, round after round. */
    private static void timerBursts(Infra infra, Preloader.Loaded in, Duration gap, Path work, BenchArgs args,
            List<TimerBurst.Result> bursts) throws Exception {
        int tail = TimerBurst.appendTail(infra, in, gap);
        log("timer burst: %d records %d days after the input's last event time, one on every input partition", tail,
                gap.toDays());
        burstRounds(infra, in, in.records() + tail, work, args, List.of(false), bursts);
    }

    /**
     * The cohort's bursts: a population that signed up within an hour, its first six hours loaded, then the
     * tail; round after round the timer floor (if asked for), the product as deployed by default, and the
     * product on Flink's interruptible timers, whose checkpoints complete while the burst runs.
     */
    private static void cohortBursts(Infra infra, Path work, BenchArgs args, Duration gap, List<TimerBurst.Result> out)
            throws Exception {
        Preloader.Loaded in = Preloader.loadCohort(infra, args.cohortBurst(), COHORT_WINDOW, COHORT_STEPS);
        int tail = TimerBurst.appendTail(infra, in, gap);
        log("cohort: pre-loaded %,d records of %,d accounts that signed up within %s in %.1f s, then %d records %d"
                + " days later", in.records(), in.accounts(), COHORT_WINDOW, in.seconds(), tail, gap.toDays());
        burstRounds(infra, in, in.records() + tail, work, args, List.of(false, true), out);
    }

    /**
     * Round after round over one input and its tail: the timer floor (if asked for), then the product once per
     * entry of {@code interruptible} (false: as deployed without Flink's interruptible timers; true: on them).
     */
    private static void burstRounds(Infra infra, Preloader.Loaded in, long records, Path work, BenchArgs args,
            List<Boolean> interruptible, List<TimerBurst.Result> out) throws Exception {
        for (int round = 1; round <= TimerBurst.ROUNDS; round++) {
            if (args.runs("floor")) {
                out.add(TimerBurst.floor(infra, in, records, work, round));
            }
            for (boolean i : interruptible) {
                out.add(TimerBurst.product(infra, in, records, work, round, i));
            }
        }
    }

    private static void runVariants(Infra infra, Preloader.Loaded in, Path work, List<Measurement> rows, Rounds byRound,
            BenchArgs args, int rounds) throws Exception {
        if (args.runs("transport")) {
            record(rows, TransportCeiling.run(infra, in));
        }
        // The domain run also counts the live accounts: the denominator of state bytes per account.
        Measurement domain = DomainCeiling.run(infra, in);
        if (args.runs("domain")) {
            record(rows, domain);
        }
        long live = domain.liveAccounts();
        // The Flink rows in turn, round after round. The main table reports the last round (see
        // BenchArgs#rounds); every round goes into the median of the ratio to the floor (see Rounds).
        for (int round = 1; round <= rounds; round++) {
            boolean reported = round == rounds;
            if (rounds > 1) {
                log("  round %d of %d%s", round, rounds, reported ? "" : " (in the median of rounds, not the main table)");
            }
            List<Measurement> thisRound = new ArrayList<>();
            flinkRows(infra, in, work, args, live, thisRound);
            byRound.add(in.accounts(), thisRound);
            if (reported) {
                rows.addAll(thisRound);
            }
        }
    }

    /** One round of the Flink rows into {@code out}: the framework floor, then each product variant asked for. */
    private static void flinkRows(Infra infra, Preloader.Loaded in, Path work, BenchArgs args, long live,
            List<Measurement> out) throws Exception {
        if (args.runs("floor")) {
            record(out, floor(infra, in, work, args.laterFrom()).withLiveAccounts(live));
        }
        if (args.compareLinger()) {
            // The before of the sink-linger change, measured in the same run as the after.
            String prefix = infra.nextRunPrefix();
            var env = ProductJob.build(infra, ProductJob.config(infra, in.topics(), prefix, "earliest",
                    "--kafka.properties.linger.ms", "5"), ProductJob.Variant.ROCKSDB_EO, prefix, work.resolve(prefix));
            record(out, FlinkRun.measure("product RocksDB + EO, sink linger 5 ms (before)", in.accounts(), env, "linger5",
                    ProductJob::processed, in.records(), args.laterFrom(), ProductJob.ENGINE_OPERATOR,
                    ProductJob.workCounters()).withLiveAccounts(live));
        }
        for (ProductJob.Variant v : ProductJob.Variant.values()) {
            if (!args.runs(v.name())) {
                continue;
            }
            String prefix = infra.nextRunPrefix();
            var env = ProductJob.build(infra, ProductJob.config(infra, in.topics(), prefix, "earliest"), v, prefix,
                    work.resolve(prefix));
            record(out, FlinkRun.measure(v.label, in.accounts(), env, v.name(), ProductJob::processed, in.records(),
                    args.laterFrom(), ProductJob.ENGINE_OPERATOR,
                    ProductJob.workCounters()).withLiveAccounts(live));
            if (v.cachesAccounts()) {
                log("    %s", ProductJob.accountReads());
            }
            log("    %s", ProductJob.timersPerEvent(in.records()));
            log("    %s", ProductJob.outputsPerEvent(in.records()));
        }
    }

    private static Measurement floor(Infra infra, Preloader.Loaded in, Path work, double laterFrom) throws Exception {
        String prefix = infra.nextRunPrefix();
        var env = FloorJob.build(infra, in.topics(), prefix, work.resolve(prefix));
        return FlinkRun.measure("framework floor (RocksDB + exactly-once)", in.accounts(), env, "floor",
                () -> CaptureReporter.counterSum("numRecordsIn", FloorJob.STATE_OPERATOR), in.records(), laterFrom, FloorJob.STATE_OPERATOR, Map.of());
    }

    private static void record(List<Measurement> rows, Measurement m) {
        log("  %-42s %,10.0f ev/s  %,10.0f ev/CPU-s  checkpoint %d ms, %,d B", m.variant(), m.eventsPerSecond(),
                m.eventsPerCoreSecond(), m.checkpointMs(), m.checkpointBytes());
        rows.add(m);
    }

    private static void write(Path out, List<Measurement> rows, List<LatencyRun.Result> latencies,
            List<LatencyRun.Capacity> capacities, Rounds rounds, List<TimerBurst.Result> bursts, Duration gap) throws Exception {
        Files.createDirectories(out);
        Files.writeString(out.resolve("latest.md"), Report.markdown(rows, latencies, capacities, rounds)
                + TimerBurst.markdown(bursts, gap));
        if (!bursts.isEmpty()) {
            Files.writeString(out.resolve("latest-timers.csv"), TimerBurst.csv(bursts));
        }
        Files.writeString(out.resolve("latest.csv"), Report.csv(rows, latencies, rounds));
        Plot.write(out.resolve("latest.png"), rows, latencies);
    }

    private static void writeCohort(Path out, List<TimerBurst.Result> cohortBursts, Duration gap) throws Exception {
        Files.createDirectories(out);
        Files.writeString(out.resolve("latest-cohort.md"),
                TimerBurst.cohortMarkdown(cohortBursts, COHORT_WINDOW, COHORT_READ, gap));
        Files.writeString(out.resolve("latest-cohort.csv"), TimerBurst.csv(cohortBursts));
    }

    static void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "%tT " + format + "%n", prepend(System.currentTimeMillis(), args));
    }

    private static Object[] prepend(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
