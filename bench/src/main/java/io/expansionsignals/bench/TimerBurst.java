package io.expansionsignals.bench;

import io.expansionsignals.workload.KafkaWorkloadSink;
import io.expansionsignals.workload.WorkloadGenerator;
import io.expansionsignals.workload.WorkloadSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;

/**
 * Timers that fall due together, fired at once. The catch-up rows span days of event time and fire
 * almost no timer; a job running for months fires each account's tenure milestones (day 30, 90,
 * 180), and accounts that signed up together (a migration, a bulk import, the benchmark's onboarding)
 * have theirs fall due together. Here the pre-loaded input is followed by a tail of a few records
 * {@code gap} later in event time on every input partition; once the job has read it, its watermark
 * jumps and every timer due meanwhile fires in one go, on the keyed task's thread, with checkpoints
 * waiting behind it. Measured for the product (RocksDB + exactly-once, the timers in RocksDB) and for
 * {@link TimerFloorJob}, the same shape with three chained timers per account and nothing else:
 * timers fired per second, the outputs they wrote, and the longest checkpoint meanwhile.
 */
final class TimerBurst {
    static final String PRODUCT = "product RocksDB + exactly-once";
    static final String FLOOR = "framework floor with timers";
    /** The burst is over once no timer has fired for this long. */
    private static final Duration QUIET = Duration.ofSeconds(5);
    private static final Duration TIMEOUT = Duration.ofMinutes(20);
    private static final long TAIL_SEED = 4242;

    /**
     * One burst: {@code timers} fired between the first and the last seen (polled every 10 ms) over
     * {@code seconds}; {@code outputs} written meanwhile; the longest checkpoint completed from the
     * burst's first timer to two checkpoints after its last.
     */
    record Result(String variant, int accounts, long timers, double seconds, long outputs, long longestCheckpointMs) {
        double timersPerSecond() {
            return seconds > 0 ? timers / seconds : 0;
        }
    }

    private TimerBurst() {}

    /**
     * Appends, on every partition of each input topic, one record of a small second population whose
     * events begin {@code gap} after the input's end; returns how many.
     */
    static int appendTail(Infra infra, Preloader.Loaded in, Duration gap) {
        WorkloadSpec spec = WorkloadSpec.defaults(in.end()).withSeed(TAIL_SEED).withAccounts(64)
                .withStart(in.end().plus(gap)).withDuplicateShare(0).withOutOfOrderShare(0).withMalformedShare(0);
        WorkloadGenerator generator = new WorkloadGenerator(spec);
        CapturedWorkload captured = new CapturedWorkload(in.topics(), infra.registry());
        Map<String, CapturedWorkload.Entry> first = new LinkedHashMap<>(); // "topic/partition" -> its record
        int wanted = 3 * Infra.PARTITIONS;
        for (int step = 0; step < 400 && first.size() < wanted; step++) {
            if (!generator.tick(captured)) {
                break; // the simulated time reached now
            }
            for (CapturedWorkload.Entry e : captured.entries) {
                first.putIfAbsent(e.topic() + "/" + partition(e.key()), e);
            }
            captured.entries.clear();
        }
        if (first.size() < wanted) {
            throw new IllegalStateException("the tail's population covered " + first.size() + " of " + wanted
                    + " input partitions");
        }
        var props = KafkaWorkloadSink.producerProperties(infra.bootstrap(), Map.of());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            for (CapturedWorkload.Entry e : first.values()) {
                producer.send(new ProducerRecord<>(e.topic(), partition(e.key()), e.key(), e.value()));
            }
            producer.flush();
        }
        return first.size();
    }

    /** The partition Kafka's default partitioner gives a keyed record on an input topic. */
    static int partition(byte[] key) {
        return Utils.toPositive(Utils.murmur2(key)) % Infra.PARTITIONS;
    }

    /** The product over the input and its tail. */
    static Result product(Infra infra, Preloader.Loaded in, long records, Path work) throws Exception {
        String prefix = infra.nextRunPrefix();
        ProductJob.Variant v = ProductJob.Variant.ROCKSDB_EO;
        var env = ProductJob.build(infra, ProductJob.config(infra, in.topics(), prefix, "earliest"), v, prefix,
                work.resolve(prefix));
        return measure(PRODUCT, in.accounts(), env, "timer-burst", ProductJob::processed, records,
                () -> CaptureReporter.counterSum("timers_due", ProductJob.ENGINE_OPERATOR)
                        + CaptureReporter.counterSum("timers_left_over", ProductJob.ENGINE_OPERATOR),
                ProductJob::outputsWritten);
    }

    /** The timer floor over the input and its tail. */
    static Result floor(Infra infra, Preloader.Loaded in, long records, Path work) throws Exception {
        String prefix = infra.nextRunPrefix();
        var env = TimerFloorJob.build(infra, in.topics(), prefix, work.resolve(prefix));
        return measure(FLOOR, in.accounts(), env, "timer-floor",
                () -> CaptureReporter.counterSum("numRecordsIn", TimerFloorJob.TIMER_OPERATOR), records,
                () -> CaptureReporter.counterSum(TimerFloorJob.FIRED, TimerFloorJob.TIMER_OPERATOR),
                () -> CaptureReporter.counterSum("numRecordsIn", "floor sink: Writer"));
    }

    private static Result measure(String variant, int accounts, StreamExecutionEnvironment env, String jobName,
            LongSupplier processed, long records, LongSupplier timers, LongSupplier outputs) throws Exception {
        FlinkRun.settle();
        CaptureReporter.reset();
        FlinkRun.started(env);
        JobClient job = env.executeAsync(jobName);
        try {
            Watch watch = new Watch(job);
            watch.until(() -> processed.getAsLong() >= records,
                    () -> variant + " processed " + processed.getAsLong() + " of " + records + " records");
            long before = timers.getAsLong();
            long outputsBefore = outputs.getAsLong();
            watch.until(() -> timers.getAsLong() > before,
                    () -> variant + ": no timer fired after the tail (has the watermark passed it?)");
            long start = System.nanoTime();
            watch.longest = 0; // from here on: the checkpoints the burst holds up, not the load's
            long[] last = {timers.getAsLong(), start}; // the count, and when it last changed
            watch.until(() -> {
                long now = timers.getAsLong();
                if (now != last[0]) {
                    last[0] = now;
                    last[1] = System.nanoTime();
                }
                return System.nanoTime() - last[1] >= QUIET.toNanos();
            }, () -> variant + " firing timers");
            long written = outputs.getAsLong() - outputsBefore;
            long completed = watch.completed();
            watch.until(() -> watch.completed() >= completed + 2, () -> variant + ": two checkpoints after the burst");
            Result r = new Result(variant, accounts, last[0] - before, Math.max(0.01, (last[1] - start) / 1e9), written,
                    watch.longest);
            Benchmark.log("  %-42s %,10d timers in %.1f s: %,.0f timers/s, %,d outputs, longest checkpoint %,d ms",
                    variant, r.timers(), r.seconds(), r.timersPerSecond(), r.outputs(), r.longestCheckpointMs());
            return r;
        } finally {
            try {
                job.cancel().get();
            } catch (Exception alreadyDone) {
                // a failed job is already reported by Watch.until
            }
        }
    }

    /** Polls a running job every 10 ms, noting the longest checkpoint it completes. */
    private static final class Watch {
        private final JobClient job;
        private final long deadline = System.nanoTime() + TIMEOUT.toNanos();
        long longest;

        Watch(JobClient job) {
            this.job = job;
        }

        long completed() {
            longest = Math.max(longest, CaptureReporter.jobGauge("lastCheckpointDuration"));
            return CaptureReporter.jobGauge("numberOfCompletedCheckpoints");
        }

        void until(BooleanSupplier done, Supplier<String> what) throws Exception {
            while (!done.getAsBoolean()) {
                completed();
                FlinkRun.check(job, deadline, TIMEOUT, what.get());
                Thread.sleep(10);
            }
        }
    }

    /** The bursts as a markdown table, the product's rate also as a ratio to the timer floor's. */
    static String markdown(List<Result> results, Duration gap) {
        if (results.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%nTimer burst: event time jumps %d days after the"
                + " input, every timer due meanwhile fires at once%n%n", gap.toDays()));
        b.append("| accounts | job | timers fired | seconds | timers/s | vs floor | outputs per timer | longest checkpoint ms |\n");
        b.append("|---:|---|---:|---:|---:|---:|---:|---:|\n");
        for (Result r : results) {
            b.append(String.format(Locale.ROOT, "| %,d | %s | %,d | %.1f | %,.0f | %s | %.2f | %,d |%n", r.accounts(),
                    r.variant(), r.timers(), r.seconds(), r.timersPerSecond(), vsFloor(results, r),
                    r.timers() == 0 ? 0.0 : (double) r.outputs() / r.timers(), r.longestCheckpointMs()));
        }
        return b.toString();
    }

    /** The bursts as CSV, one line each. */
    static String csv(List<Result> results) {
        StringBuilder b = new StringBuilder("accounts,job,timers,seconds,timers_per_s,vs_floor,outputs,longest_checkpoint_ms\n");
        for (Result r : results) {
            String ratio = vsFloor(results, r);
            b.append(String.format(Locale.ROOT, "%d,\"%s\",%d,%.3f,%.0f,%s,%d,%d%n", r.accounts(), r.variant(), r.timers(),
                    r.seconds(), r.timersPerSecond(), ratio.equals("–") ? "-1" : ratio, r.outputs(), r.longestCheckpointMs()));
        }
        return b.toString();
    }

    /** The ratio of {@code r}'s timers per second to the floor's at the same account count, "–" for the floor or without one. */
    static String vsFloor(List<Result> results, Result r) {
        List<Result> floors = new ArrayList<>(results.stream()
                .filter(f -> f.variant().equals(FLOOR) && f.accounts() == r.accounts() && f.timersPerSecond() > 0).toList());
        if (r.variant().equals(FLOOR) || floors.isEmpty()) {
            return "–";
        }
        return String.format(Locale.ROOT, "%.2f", r.timersPerSecond() / floors.get(0).timersPerSecond());
    }
}
