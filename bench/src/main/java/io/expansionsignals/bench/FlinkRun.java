package io.expansionsignals.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs one Flink job on an in-process MiniCluster over pre-loaded topics and measures it.
 *
 * <p>Method: the job runs unbounded (as in production, so no end-of-input watermark fires every
 * timer at once); the in-JVM {@link CaptureReporter} reads the operators' {@code numRecordsIn}
 * counters every 10 ms. The clock starts at the first processed record (start-up and source
 * discovery excluded) and stops when all N records have been processed. A second rate is taken
 * over the input after a share of it ({@code --later-from}, default 30 %): in the simulated
 * workload every account is new, and the first part of the input is its onboarding (sign-ups, first
 * health snapshots and MRR movements, and the milestone timers of accounts that signed up together
 * firing in bursts), so the two rates bracket a young and an established customer base. Then the run waits for two more
 * completed checkpoints, so the last one holds every account's state, and cancels.
 */
public final class FlinkRun {
    public static final int PARALLELISM = 2;
    public static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(2);
    private static final Duration TIMEOUT = Duration.ofMinutes(15);
    /** Longest wait for the previous run's shutdown work to finish before a run starts (see {@link CpuClock#settle}). */
    private static final Duration SETTLE_MAX = Duration.ofSeconds(20);

    private FlinkRun() {}

    /** Settings every benchmarked job shares; the caller adds the job's own (backend, checkpoint mode). */
    public static Configuration baseConfiguration(Configuration jobConf, Path checkpointDir) {
        Configuration conf = new Configuration(jobConf);
        conf.set(CoreOptions.DEFAULT_PARALLELISM, PARALLELISM);
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, CHECKPOINT_INTERVAL);
        // Durable checkpoint storage: the default (JobManager memory) caps state at a few MB.
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir.toUri().toString());
        // The local MiniCluster's defaults (128 MB managed memory) starve RocksDB at 1 M accounts.
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse("512m"));
        // Experiments: -Dbench.flink.<key>=<value> overrides any Flink setting of every Flink variant.
        ExperimentProperties.withPrefix("bench.flink.").forEach(conf::setString);
        CaptureReporter.install(conf);
        CheckpointSpans.install(conf);
        return conf;
    }

    public static StreamExecutionEnvironment environment(Configuration conf) {
        return StreamExecutionEnvironment.getExecutionEnvironment(conf);
    }

    /**
     * @param processed how many input records the job has processed so far (from captured counters)
     * @param expected the count at which the input is fully processed
     * @param laterFrom the share of {@code expected} after which a second rate is taken, in [0, 1)
     * @param keyedTask name prefix of the task holding the keyed state, whose time is logged by tenth
     * @param work the job's own work counters, logged per 1,000 events by tenth (empty: none)
     */
    public static Measurement measure(String variant, int accounts, StreamExecutionEnvironment env, String jobName,
            LongSupplier processed, long expected, double laterFrom, String keyedTask,
            Map<String, LongSupplier> work) throws Exception {
        JobClient job = start(env, jobName);
        try {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            long from = Math.max(1, (long) (expected * laterFrom));
            CpuClock clock = null;
            ThreadCpu threads = null;
            JvmWork jvm = null;
            HostCpu host = null;
            long laterStart = 0;
            long laterCount = 0;
            long[] tenthAt = new long[11]; // System.nanoTime when each tenth of the input was done
            long[] tenthWall = new long[11]; // the same instants on the wall clock, to cut a profile by tenth
            TaskTime keyed = new TaskTime(keyedTask, work);
            long count;
            while ((count = processed.getAsLong()) < expected) {
                if (clock == null && count > 0) {
                    clock = new CpuClock();
                    threads = new ThreadCpu();
                    jvm = new JvmWork();
                    host = HostCpu.start();
                    tenthAt[0] = System.nanoTime();
                    tenthWall[0] = System.currentTimeMillis();
                    keyed.mark(0);
                }
                if (laterStart == 0 && count >= from) {
                    laterStart = System.nanoTime();
                    laterCount = count;
                }
                for (int t = 1; t < 10 && clock != null; t++) {
                    if (tenthAt[t] == 0 && count >= expected * t / 10) {
                        tenthAt[t] = System.nanoTime();
                        tenthWall[t] = System.currentTimeMillis();
                        keyed.mark(t);
                    }
                }
                check(job, deadline, TIMEOUT, "processed " + count + " of " + expected);
                Thread.sleep(10);
            }
            long end = System.nanoTime();
            tenthAt[10] = end;
            tenthWall[10] = System.currentTimeMillis();
            keyed.mark(10);
            if (clock == null || laterStart == 0) {
                throw new IllegalStateException("the input up to " + from + " of " + expected
                        + " records arrived within one 10 ms poll: too little input to measure");
            }
            double cpu = clock.cpuSeconds();
            double later = (expected - laterCount) / ((end - laterStart) / 1e9);
            Benchmark.log("    by tenth of the input: %s k ev/s; from record %,d (%.0f %%) on: %,.0f ev/s",
                    byTenth(tenthAt, expected), laterCount, 100.0 * laterCount / expected, later);
            Benchmark.log("    tenths begin (UTC, for cutting a profile): %s", wallClock(tenthWall));
            Benchmark.log("    keyed task busy/idle/back-pressured %% by tenth: %s", keyed.byTenth());
            Benchmark.log("    keyed operator's event time (watermark) by tenth: %s", keyed.watermarksByTenth());
            if (keyed.countedAny()) {
                Benchmark.log("    per 1,000 events by tenth: %s", keyed.countsByTenth(expected));
            }
            Benchmark.log("    CPU per event by thread: %s", threads.perEvent(expected, cpu, 7));
            Benchmark.log("    JVM: %s", jvm.perEvent(expected));
            Benchmark.log("    %s", host.summary());
            long loadCheckpointMs = CaptureReporter.jobGauge("lastCheckpointDuration");
            long completed = CaptureReporter.jobGauge("numberOfCompletedCheckpoints");
            while (CaptureReporter.jobGauge("numberOfCompletedCheckpoints") < completed + 2) {
                check(job, deadline, TIMEOUT, "waiting for the checkpoint after the load");
                Thread.sleep(50);
            }
            long fullSize = CaptureReporter.jobGauge("lastCheckpointFullSize");
            return new Measurement(variant, accounts, expected, clock.wallSeconds(end), cpu, loadCheckpointMs, fullSize)
                    .withSavepointBytes(canonicalSavepointBytes(job, env)).withLaterRate(later);
        } finally {
            try {
                job.cancel().get();
            } catch (Exception alreadyDone) {
                // a failed job is already reported by check(); nothing more to stop
            }
        }
    }

    private static final DateTimeFormatter TIME_OF_DAY = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    /** Each instant as UTC time of day to the millisecond, "–" where a tenth was not seen. */
    static String wallClock(long[] epochMillis) {
        StringBuilder out = new StringBuilder();
        for (long at : epochMillis) {
            out.append(out.length() > 0 ? " " : "").append(at == 0 ? "–"
                    : TIME_OF_DAY.format(Instant.ofEpochMilli(at)));
        }
        return out.toString();
    }

    /** The rate over each tenth of the input, e.g. "38 45 61 ... 112": how the job ramps up. */
    static String byTenth(long[] tenthAt, long expected) {
        StringBuilder out = new StringBuilder();
        for (int t = 1; t <= 10; t++) {
            long nanos = tenthAt[t] - tenthAt[t - 1];
            out.append(t > 1 ? " " : "").append(tenthAt[t] == 0 || tenthAt[t - 1] == 0 || nanos <= 0 ? "–"
                    : String.valueOf(Math.round(expected / 10.0 / (nanos / 1e9) / 1e3)));
        }
        return out.toString();
    }

    /** Starts a job on a quiet process, with the in-JVM metrics cleared and its directories noted for the next settle. */
    static JobClient start(StreamExecutionEnvironment env, String jobName) throws Exception {
        settle();
        CaptureReporter.reset();
        started(env);
        return env.executeAsync(jobName);
    }

    /**
     * Takes a canonical savepoint next to the checkpoints and returns its size: every account's
     * state once, as any backend would restore it. An incremental RocksDB checkpoint's full size
     * also counts versions superseded but not yet compacted away, so it moves with compaction.
     */
    private static long canonicalSavepointBytes(JobClient job, StreamExecutionEnvironment env) throws Exception {
        String checkpoints = env.getConfiguration().get(CheckpointingOptions.CHECKPOINTS_DIRECTORY);
        String location = job.triggerSavepoint(savepoints(checkpoints), SavepointFormatType.CANONICAL)
                .get(5, TimeUnit.MINUTES);
        Path dir = Path.of(URI.create(location));
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    /** Where a run's savepoints go: beside its checkpoints (a URI of an existing directory ends in "/"). */
    private static String savepoints(String checkpoints) {
        return checkpoints.replaceAll("/+$", "") + "-savepoints";
    }

    /** Checkpoint and savepoint directories of the runs started since the last {@link #settle}. */
    private static final java.util.List<Path> RUN_DIRECTORIES = new java.util.ArrayList<>();

    /**
     * Notes the directories a run about to start will write (its checkpoints, and its savepoints
     * beside them), for the next {@link #settle} to remove once the run has ended.
     */
    static void started(StreamExecutionEnvironment env) {
        String checkpoints = env.getConfiguration().get(CheckpointingOptions.CHECKPOINTS_DIRECTORY);
        if (checkpoints != null) {
            RUN_DIRECTORIES.add(Path.of(URI.create(checkpoints)));
            RUN_DIRECTORIES.add(Path.of(URI.create(savepoints(checkpoints))));
        }
    }

    /**
     * Lets the previous run's shutdown work finish first (see {@link CpuClock#settle}); logs a long
     * wait. Then removes the previous runs' checkpoints and savepoints: at 1 M accounts a run leaves
     * up to hundreds of MB, and until run 34 they stayed until the whole benchmark ended. Last,
     * logs the machine's speed on the quiet process ({@link MachineSpeed}), so a row's rate can be
     * read against how fast the cores and the memory were just before it.
     */
    static void settle() throws InterruptedException {
        double waited = CpuClock.settle(SETTLE_MAX);
        RUN_DIRECTORIES.forEach(dir -> org.apache.flink.util.FileUtils.deleteDirectoryQuietly(dir.toFile()));
        RUN_DIRECTORIES.clear();
        if (waited > 2) {
            Benchmark.log("    waited %.1f s for the process to go quiet before this run", waited);
        }
        Benchmark.log("    %s", MachineSpeed.measure());
    }

    /**
     * Polls {@code done} every 10 ms until it holds; fails with the job's own error if the job ends
     * first, or after {@code timeout}, saying {@code what} was awaited.
     */
    static void await(JobClient job, Duration timeout, BooleanSupplier done, Supplier<String> what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            check(job, deadline, timeout, what.get());
            Thread.sleep(10);
        }
    }

    private static void check(JobClient job, long deadline, Duration timeout, String what) throws Exception {
        if (job.getJobStatus().get().isGloballyTerminalState()) {
            job.getJobExecutionResult().get(); // rethrows the job's failure
            throw new IllegalStateException("job ended early: " + what);
        }
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("timed out after " + timeout + ": " + what + "; operators seen: "
                    + CaptureReporter.operators());
        }
    }
}
