package io.expansionsignals.bench;

import io.expansionsignals.config.JobConfig;
import io.expansionsignals.io.registry.ConfluentAvroDecoder;
import io.expansionsignals.io.registry.DecodeResult;
import io.expansionsignals.schema.ChurnRiskSignal;
import io.expansionsignals.schema.ExpansionSignal;
import io.expansionsignals.schema.MrrMovement;
import io.expansionsignals.workload.KafkaWorkloadSink;
import io.expansionsignals.workload.WorkloadGenerator;
import io.expansionsignals.workload.WorkloadSpec;
import io.expansionsignals.workload.WorkloadTopics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Latency from event append to committed output, with a job running unbounded on fresh topics
 * while inputs arrive at a fixed rate (a fraction of the product's sustained rate measured
 * before). Each input is sent with its Kafka timestamp set to the send time.
 *
 * <p>The product (each of its variants): signals and MRR movements carry the {@code causeEventId}
 * of the input that caused them; a read_committed consumer sees them once their transaction
 * commits (at a checkpoint; with at-least-once sinks, once written), and the latency is receipt
 * time minus that input's send time. The
 * framework floor at the same rate is the baseline: its outputs keep the input's Kafka timestamp
 * (the send time), so the same consumer measures what Flink, RocksDB and exactly-once Kafka alone
 * cost at that rate. The first seconds are skipped (ramp-up).
 */
public final class LatencyRun {
    private static final Duration WARM_UP = Duration.ofSeconds(4);
    /** Longest wait for the job to take in the last input, and then for the checkpoint that commits it. */
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(3);
    /** Time the reader gets to fetch the last commit's outputs (it polls every 20 ms). */
    private static final Duration READ_GRACE = Duration.ofSeconds(1);
    public static final String PRODUCT = ProductJob.Variant.ROCKSDB_EO.label;
    public static final String FLOOR = "framework floor (RocksDB + exactly-once)";

    /**
     * p50/p99 in ms over {@code samples} outputs; the rate actually achieved by the sender; the
     * duration (p50 and max) of the checkpoints completed while measuring.
     */
    public record Result(String variant, int accounts, double fraction, double targetRate, double achievedRate, int samples,
            long p50, long p99, long checkpointP50, long checkpointMax, KeyedPath keyed) {
        /** {@code fraction} of a run at a fixed rate ({@code --latency-rates}): its load is {@link #targetRate} alone. */
        public static final double FIXED_RATE = 0;

        /** Sent at a rate given in ev/s, the same at every account count, not at a share of the sustained rate. */
        public boolean atFixedRate() {
            return fraction == FIXED_RATE;
        }

        /** The load as the reports name it: "70 %" of the sustained rate, or "30,000 ev/s". */
        public String load() {
            return atFixedRate() ? String.format(Locale.ROOT, "%,.0f ev/s", targetRate)
                    : String.format(Locale.ROOT, "%.0f %%", fraction * 100);
        }

        /** The same load: the same share, or the same fixed rate. */
        public boolean sameLoad(Result other) {
            return fraction == other.fraction && (!atFixedRate() || targetRate == other.targetRate);
        }

        public Result(String variant, int accounts, double fraction, double targetRate, double achievedRate, int samples,
                long p50, long p99, long checkpointP50, long checkpointMax) {
            this(variant, accounts, fraction, targetRate, achievedRate, samples, p50, p99, checkpointP50, checkpointMax,
                    KeyedPath.UNKNOWN);
        }

        Result withKeyed(KeyedPath path) {
            return new Result(variant, accounts, fraction, targetRate, achievedRate, samples, p50, p99, checkpointP50,
                    checkpointMax, path);
        }
    }

    /**
     * Where a checkpoint's time goes on the task holding the keyed state, medians over the
     * checkpoints measured (of its slowest subtask), ms, -1 where unknown: the work before the
     * barrier (the product's account cache flush; the floor has none) and the CPU the task thread
     * spent on it, then the synchronous and asynchronous parts of its snapshot. Every task after
     * it waits for the first, and the checkpoint for all three (docs/performance-history.md, "Why the
     * latency tail"); a flush far longer than its CPU waited for a core.
     */
    public record KeyedPath(long flushP50, long flushCpuP50, long syncP50, long asyncP50) {
        static final KeyedPath UNKNOWN = new KeyedPath(-1, -1, -1, -1);

        /** Without the flush's CPU time. */
        public KeyedPath(long flushP50, long syncP50, long asyncP50) {
            this(flushP50, -1, syncP50, asyncP50);
        }

        KeyedPath withFlush(long flush, long flushCpu) {
            return new KeyedPath(flush, flushCpu, syncP50, asyncP50);
        }
    }

    /**
     * The rate the latency runs take their shares of, for one account count: the product's
     * catch-up rate on the pre-loaded backlog, and what it processed while inputs arrived live
     * faster than it could take them (producer and broker then share the cores with it, and every
     * account is new to the job). {@code live} is 0 when not measured.
     */
    public record Capacity(int accounts, double catchUp, double live) {
        /** The base of the latency runs' shares: the live rate when measured, never above the catch-up rate. */
        public double base() {
            return live > 0 ? Math.min(live, catchUp) : catchUp;
        }
    }

    /** What one variant needs: its job, the topics it writes, and each output's send time (null: not counted). */
    private interface Subject {
        StreamExecutionEnvironment build(String prefix, WorkloadTopics in) throws Exception;

        List<String> outputs(String prefix);

        /** Input records the job has taken in so far (valid and dead letters). */
        long processed();

        /** Name (prefix) of the task that holds the keyed state. */
        String keyedTask();

        /**
         * @param workload the inputs being sent
         * @param sentAt send time of each input by eventId; null for a subject that does not {@link #readsSendTimes()}
         */
        Long sentAt(ConsumerRecord<byte[], byte[]> r, String prefix, CapturedWorkload workload, SendTimes sentAt);

        /** Whether {@link #sentAt} looks send times up (the floor's outputs carry theirs). */
        default boolean readsSendTimes() {
            return true;
        }

        /** Whether its outputs are committed at checkpoints (exactly-once) rather than visible once written. */
        default boolean transactional() {
            return true;
        }

        /** When the job wrote this output (its Kafka timestamp, which the producer stamps), or -1 if unknown. */
        default long producedAt(ConsumerRecord<byte[], byte[]> r) {
            return r.timestamp();
        }
    }

    private LatencyRun() {}

    /** The product job as {@code variant} runs it; its rows carry the variant's label. */
    public static Result product(Infra infra, ProductJob.Variant variant, int accounts, double fraction, double rate,
            Duration measure, Path checkpointDir) throws Exception {
        long[] deferred = {0};
        var expansion = new ConfluentAvroDecoder<>(ExpansionSignal.class, infra.registry());
        var churn = new ConfluentAvroDecoder<>(ChurnRiskSignal.class, infra.registry());
        var movements = new ConfluentAvroDecoder<>(MrrMovement.class, infra.registry());
        Subject product = new Subject() {
            @Override
            public StreamExecutionEnvironment build(String prefix, WorkloadTopics in) throws Exception {
                return productJob(infra, variant, prefix, in, checkpointDir);
            }

            @Override
            public List<String> outputs(String prefix) {
                return List.of(prefix + "expansion-signals", prefix + "churn-risk-signals", prefix + "mrr-movements");
            }

            @Override
            public boolean transactional() {
                return variant.guarantee == DeliveryGuarantee.EXACTLY_ONCE;
            }

            @Override
            public long processed() {
                return ProductJob.processed();
            }

            @Override
            public String keyedTask() {
                return ProductJob.ENGINE_OPERATOR;
            }

            @Override
            public Long sentAt(ConsumerRecord<byte[], byte[]> r, String prefix, CapturedWorkload workload,
                    SendTimes sentAt) {
                String cause = cause(r, prefix, expansion, churn, movements);
                if (cause != null && workload.deferredCancellations.contains(cause)) {
                    deferred[0]++; // a movement at the effective time of a cancellation scheduled earlier
                    return null;
                }
                return cause == null ? null : sentAt.of(cause);
            }
        };
        Result r = run(variant.label, infra, accounts, fraction, rate, measure, product);
        Benchmark.log("    %,d movements of cancellations taking effect on a timer not counted (event time, not arrival,"
                + " decides when they happen)", deferred[0]);
        double flush = CaptureReporter.histogramQuantile("account_cache_flush_ms", ProductJob.ENGINE_OPERATOR, 0.5);
        double flushCpu = CaptureReporter.histogramQuantile("account_cache_flush_cpu_ms", ProductJob.ENGINE_OPERATOR, 0.5);
        if (flush < 0 || !variant.cachesAccounts()) {
            return r; // no flush measured, or no cache to flush
        }
        Benchmark.log("    account cache flush before the barrier (slowest subtask): p50 %.0f ms (the task thread's CPU %.0f ms),"
                + " max %.0f ms", flush, flushCpu,
                CaptureReporter.histogramQuantile("account_cache_flush_ms", ProductJob.ENGINE_OPERATOR, 1.0));
        return r.withKeyed(r.keyed().withFlush(Math.round(flush), Math.round(flushCpu)));
    }

    /**
     * The live sustained rate: the product (RocksDB + exactly-once, the variant the targets are
     * for) runs while inputs arrive at {@code rate}, chosen above
     * what it can take live (its catch-up rate), and this is what it processed per second over
     * {@code measure} after the ramp-up. If it kept up, it is about {@code rate} itself.
     */
    public static double liveRate(Infra infra, int accounts, double rate, Duration measure, Path checkpointDir)
            throws Exception {
        String prefix = infra.nextRunPrefix();
        WorkloadTopics in = topics(infra, prefix);
        CapturedWorkload workload = generate(infra, in, accounts, rate, measure);
        JobClient job = start(productJob(infra, ProductJob.Variant.ROCKSDB_EO, prefix, in, checkpointDir), "live rate");
        long[] from = new long[2]; // wall ms and records processed when measuring starts
        HostCpu[] host = {null};
        try {
            awaitRunning(job);
            send(infra, workload, rate, null, new long[1], () -> {
                from[1] = ProductJob.processed();
                from[0] = System.currentTimeMillis();
                host[0] = HostCpu.start();
            });
            double processed = (ProductJob.processed() - from[1]) / ((System.currentTimeMillis() - from[0]) / 1000.0);
            if (host[0] != null) {
                Benchmark.log("    live rate: %s", host[0].summary());
            }
            return processed;
        } finally {
            job.cancel().get();
        }
    }

    /** Starts a job on a quiet process with the in-JVM metrics and checkpoint spans cleared. */
    private static JobClient start(StreamExecutionEnvironment env, String name) throws Exception {
        FlinkRun.settle();
        CaptureReporter.reset();
        Map<String, String> tasks = new TreeMap<>();
        env.getStreamGraph(false).getJobGraph().getVertices().forEach(v -> tasks.put(v.getID().toHexString(), v.getName()));
        CheckpointSpans.reset(tasks);
        FlinkRun.started(env);
        return env.executeAsync(name);
    }

    private static StreamExecutionEnvironment productJob(Infra infra, ProductJob.Variant variant, String prefix,
            WorkloadTopics in, Path checkpointDir) throws Exception {
        JobConfig config = ProductJob.config(infra, in, prefix, "earliest");
        return ProductJob.build(infra, config, variant, prefix, checkpointDir);
    }

    private static WorkloadTopics topics(Infra infra, String prefix) throws Exception {
        WorkloadTopics in = new WorkloadTopics(prefix + "subscription-events", prefix + "usage-events",
                prefix + "engagement-events");
        infra.createTopics(List.of(in.subscription(), in.usage(), in.engagement()));
        return in;
    }

    /** The framework floor (see {@link FloorJob}) at the same rate: the latency the platform alone gives. */
    public static Result floor(Infra infra, int accounts, double fraction, double rate, Duration measure, Path checkpointDir)
            throws Exception {
        Subject floor = new Subject() {
            @Override
            public StreamExecutionEnvironment build(String prefix, WorkloadTopics in) throws Exception {
                return FloorJob.build(infra, in, prefix, checkpointDir);
            }

            @Override
            public List<String> outputs(String prefix) {
                return List.of(FloorJob.output(prefix));
            }

            @Override
            public long processed() {
                return CaptureReporter.counterSum("numRecordsIn", FloorJob.STATE_OPERATOR);
            }

            @Override
            public String keyedTask() {
                return FloorJob.STATE_OPERATOR;
            }

            @Override
            public Long sentAt(ConsumerRecord<byte[], byte[]> r, String prefix, CapturedWorkload workload,
                    SendTimes sentAt) {
                return r.timestamp(); // the input's Kafka timestamp, carried through as the record's timestamp
            }

            @Override
            public boolean readsSendTimes() {
                return false;
            }

            @Override
            public long producedAt(ConsumerRecord<byte[], byte[]> r) {
                return -1; // its timestamp is the input's
            }
        };
        return run(FLOOR, infra, accounts, fraction, rate, measure, floor);
    }

    private static Result run(String label, Infra infra, int accounts, double fraction, double rate, Duration measure,
            Subject subject) throws Exception {
        String prefix = infra.nextRunPrefix();
        WorkloadTopics in = topics(infra, prefix);
        CapturedWorkload workload = generate(infra, in, accounts, rate, measure);
        // Built before start(), whose collection settles it; the floor times its outputs by their own
        // Kafka timestamps and needs none.
        SendTimes sentAt = subject.readsSendTimes() ? new SendTimes(workload.entries) : null;
        dump = DUMP_DIR == null ? null : Collections.synchronizedList(new ArrayList<>());
        times = Collections.synchronizedList(new ArrayList<>());
        StreamExecutionEnvironment env = subject.build(prefix, in);
        long boundMillis = env.getCheckpointConfig().getCheckpointInterval() + 500; // the target: interval + 500 ms
        JobClient job = start(env, "latency");
        Percentiles latencies = new Percentiles();
        AtomicBoolean stop = new AtomicBoolean();
        long[] measureFrom = {Long.MAX_VALUE};
        CheckpointCpu[] cpu = {null};
        HostCpu[] host = {null};
        Thread reader = new Thread(() -> readOutputs(infra, prefix, subject, workload, sentAt, latencies, stop,
                measureFrom), "latency-reader");
        try {
            awaitRunning(job);
            reader.start();
            double achieved = send(infra, workload, rate, sentAt, measureFrom, () -> {
                cpu[0] = CheckpointCpu.startIfEnabled();
                host[0] = HostCpu.start();
            });
            // Every output of a measured input counts, however late: first the job takes in every
            // input sent, then a checkpoint started after that completes, whose commit makes the
            // last outputs visible. A fixed wait instead left out the outputs of a backlog, the
            // slowest ones, and the checkpoints that were still running.
            long drained = awaitProcessed(job, subject, workload.entries.size());
            String hostLine = host[0] == null ? null : host[0].summary();
            if (cpu[0] != null) {
                cpu[0].close();
            }
            CheckpointSpans.Checkpoint last = awaitCheckpointStartedAfter(job, drained);
            Thread.sleep(READ_GRACE.toMillis());
            stop.set(true);
            reader.join();
            List<CheckpointSpans.Checkpoint> checkpoints = CheckpointSpans.between(measureFrom[0], last.startMillis());
            Benchmark.log("    %s: checkpoints while measured: %s", label, CheckpointSpans.summary(checkpoints));
            if (hostLine != null) {
                Benchmark.log("    %s: %s (from the measuring's start until the job had taken in every input)", label, hostLine);
            }
            writeDump(label, accounts, checkpoints);
            if (cpu[0] != null) {
                Benchmark.log("    %s: %s", label, cpu[0].summary(checkpoints));
            }
            long[] completions = !subject.transactional() ? null : checkpoints.stream()
                    .filter(CheckpointSpans.Checkpoint::completed).mapToLong(c -> c.startMillis() + c.durationMillis()).toArray();
            synchronized (times) {
                Benchmark.log("    %s: %s", label, new LatencyAnatomy(times, completions, boundMillis).summary());
            }
            Percentiles durations = new Percentiles();
            checkpoints.forEach(c -> durations.add(c.durationMillis()));
            synchronized (latencies) {
                return new Result(label, accounts, fraction, rate, achieved, latencies.count(), latencies.percentile(50),
                        latencies.percentile(99), durations.percentile(50), durations.percentile(100),
                        new KeyedPath(-1, CheckpointSpans.taskMedian(checkpoints, subject.keyedTask(), "sync"),
                                CheckpointSpans.taskMedian(checkpoints, subject.keyedTask(), "async")));
            }
        } finally {
            stop.set(true);
            if (cpu[0] != null) {
                cpu[0].close();
            }
            job.cancel().get();
        }
    }

    /** Enough generated inputs to send at {@code rate} through the ramp-up and {@code measure}. */
    private static CapturedWorkload generate(Infra infra, WorkloadTopics in, int accounts, double rate, Duration measure) {
        long needed = (long) (rate * (WARM_UP.plus(measure).toMillis() / 1000.0));
        WorkloadSpec spec = WorkloadSpec.defaults(Instant.now()).withSeed(7).withAccounts(accounts)
                .withStart(Instant.now().minus(Duration.ofDays(1500)));
        WorkloadGenerator generator = new WorkloadGenerator(spec);
        CapturedWorkload workload = new CapturedWorkload(in, infra.registry());
        while (workload.entries.size() < needed && generator.tick(workload)) {
            // one simulated step per tick
        }
        return workload;
    }

    /** Waits until the job has taken in {@code expected} inputs; returns when (epoch ms). */
    private static long awaitProcessed(JobClient job, Subject subject, long expected) throws Exception {
        FlinkRun.await(job, DRAIN_TIMEOUT, () -> subject.processed() >= expected,
                () -> "latency job processed " + subject.processed() + " of " + expected + " inputs");
        return System.currentTimeMillis();
    }

    /** Waits for a checkpoint triggered at or after {@code fromMillis} to complete, and returns it. */
    private static CheckpointSpans.Checkpoint awaitCheckpointStartedAfter(JobClient job, long fromMillis) throws Exception {
        FlinkRun.await(job, DRAIN_TIMEOUT, () -> CheckpointSpans.firstCompletedSince(fromMillis) != null,
                () -> "a checkpoint completed after the latency job took in its last input");
        return CheckpointSpans.firstCompletedSince(fromMillis);
    }

    /** Waits until the job's tasks run, so start-up is not counted as latency. */
    private static void awaitRunning(JobClient job) throws Exception {
        FlinkRun.await(job, Duration.ofMinutes(2), () -> CaptureReporter.counterSum("numRecordsIn", ProductJob.ENGINE_OPERATOR) > 0
                || CaptureReporter.jobGauge("numberOfCompletedCheckpoints") >= 1, () -> "latency job to start");
    }

    /**
     * Paces sends on a fixed schedule (no coordinated omission: a late send does not push the next
     * ones back).
     *
     * @param sentAt notes each input's send time, or null where none is looked up (the live-rate run, the floor)
     * @param measureFrom set to the wall time measuring starts (after the ramp-up)
     * @param atMeasureStart run once, just before the first input sent after {@code measureFrom}
     */
    private static double send(Infra infra, CapturedWorkload workload, double rate, SendTimes sentAt, long[] measureFrom,
            Runnable atMeasureStart) {
        // 5 ms linger, as the pre-load: each record's timestamp is taken at send(), so up to 5 ms of
        // batching count as latency, but the broker (in this process, on the same cores) is not
        // flooded with tiny produce requests that take CPU from the job being measured.
        Properties p = KafkaWorkloadSink.producerProperties(infra.bootstrap(), Map.of("linger.ms", "5"));
        long start = System.nanoTime();
        long startMs = System.currentTimeMillis();
        measureFrom[0] = startMs + WARM_UP.toMillis();
        boolean measuring = false;
        int n = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (CapturedWorkload.Entry e : workload.entries) {
                long due = start + (long) (n / rate * 1e9);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
                long now = System.currentTimeMillis();
                if (!measuring && now >= measureFrom[0]) {
                    atMeasureStart.run();
                    measuring = true;
                }
                if (sentAt != null) {
                    sentAt.sent(n, now);
                }
                producer.send(new ProducerRecord<>(e.topic(), null, now, e.key(), e.value()));
                n++;
            }
        }
        return n / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * Diagnostics: with {@code -Dbench.latency-dump=<dir>} each latency run writes every measured
     * output's send, produce (its Kafka timestamp) and receive times, and its checkpoints, as CSV:
     * which part of a slow output's latency was the job falling behind and which the commit.
     */
    private static final String DUMP_DIR = System.getProperty("bench.latency-dump");
    private static List<String> dump;
    /** Send, produce and receive times of each measured output of the current run, for {@link LatencyAnatomy}. */
    private static List<long[]> times = Collections.synchronizedList(new ArrayList<>());

    private static void writeDump(String label, int accounts, List<CheckpointSpans.Checkpoint> checkpoints) {
        if (DUMP_DIR == null || dump == null) {
            return;
        }
        String name = dumpName(label) + "-" + accounts;
        try {
            Files.createDirectories(Path.of(DUMP_DIR));
            List<String> lines = new ArrayList<>();
            lines.add("sent,produced,received,topic");
            synchronized (dump) {
                lines.addAll(dump);
            }
            Files.write(Path.of(DUMP_DIR, name + "-outputs.csv"), lines);
            List<String> cps = new ArrayList<>();
            cps.add("start,duration,completed");
            checkpoints.forEach(c -> cps.add(c.startMillis() + "," + c.durationMillis() + "," + c.completed()));
            Files.write(Path.of(DUMP_DIR, name + "-checkpoints.csv"), cps);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The job's name in the plot's legend as a file name: "product" (RocksDB + exactly-once), "floor", "hashmap-exactly-once". */
    static String dumpName(String label) {
        return Plot.legendName(label).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    }

    private static void readOutputs(Infra infra, String prefix, Subject subject, CapturedWorkload workload,
            SendTimes sentAt, Percentiles latencies, AtomicBoolean stop,
            long[] measureFrom) {
        Properties p = new Properties();
        p.put("bootstrap.servers", infra.bootstrap());
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        // As a latency-sensitive consumer would: read_committed data only appears at commits, and with
        // the default 500 ms fetch wait a fetch that found none would hold a commit's data back.
        p.put("fetch.max.wait.ms", "20");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = subject.outputs(prefix).stream().flatMap(t -> consumer.partitionsFor(t).stream())
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            while (!stop.get()) {
                var batch = consumer.poll(Duration.ofMillis(20));
                // Each record of a batch was visible when the poll returned it: the time the benchmark
                // then spends decoding the records before it (a commit releases thousands at once) is
                // its own, not the job's.
                long received = System.currentTimeMillis();
                for (ConsumerRecord<byte[], byte[]> r : batch) {
                    Long sent = subject.sentAt(r, prefix, workload, sentAt);
                    if (sent != null && sent >= measureFrom[0]) {
                        synchronized (latencies) {
                            latencies.add(received - sent);
                        }
                        long produced = subject.producedAt(r);
                        times.add(new long[] {sent, produced, received});
                        if (dump != null) {
                            dump.add(sent + "," + produced + "," + received + "," + r.topic().substring(prefix.length()));
                        }
                    }
                }
            }
        }
    }

    private static String cause(ConsumerRecord<byte[], byte[]> r, String prefix, ConfluentAvroDecoder<ExpansionSignal> expansion,
            ConfluentAvroDecoder<ChurnRiskSignal> churn, ConfluentAvroDecoder<MrrMovement> movements) {
        if (r.topic().equals(prefix + "expansion-signals")) {
            DecodeResult<ExpansionSignal> d = expansion.decode(r.value());
            return d.isOk() ? d.record().getCauseEventId() : null;
        }
        if (r.topic().equals(prefix + "churn-risk-signals")) {
            DecodeResult<ChurnRiskSignal> d = churn.decode(r.value());
            return d.isOk() ? d.record().getCauseEventId() : null;
        }
        DecodeResult<MrrMovement> d = movements.decode(r.value());
        return d.isOk() ? d.record().getCauseEventId() : null;
    }
}
