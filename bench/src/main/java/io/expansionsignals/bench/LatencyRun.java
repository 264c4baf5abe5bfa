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
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Latency from event append to committed signal, with the product job (RocksDB, exactly-once)
 * running unbounded on fresh topics while inputs arrive at a fixed rate (a fraction of the
 * sustained rate measured before). Each input is sent with its Kafka timestamp set to the send
 * time; signals and MRR movements carry the {@code causeEventId} of the input that caused them;
 * a read_committed consumer sees them once their transaction commits (at a checkpoint), and the
 * latency is receipt time minus that input's send time. The first seconds are skipped (ramp-up).
 */
public final class LatencyRun {
    private static final Duration WARM_UP = Duration.ofSeconds(4);

    /** p50/p99 in ms over {@code samples} signals; the rate actually achieved by the sender. */
    public record Result(int accounts, double targetRate, double achievedRate, int samples, long p50, long p99) {}

    private LatencyRun() {}

    public static Result run(Infra infra, int accounts, double rate, Duration measure, Path checkpointDir) throws Exception {
        String prefix = infra.nextRunPrefix();
        WorkloadTopics in = new WorkloadTopics(prefix + "subscription-events", prefix + "usage-events",
                prefix + "engagement-events");
        infra.createTopics(List.of(in.subscription(), in.usage(), in.engagement()));
        long needed = (long) (rate * (WARM_UP.plus(measure).toMillis() / 1000.0));
        CapturedWorkload workload = generate(infra, in, accounts, needed);

        JobConfig config = ProductJob.config(infra, in, prefix, "earliest");
        StreamExecutionEnvironment env = ProductJob.build(infra, config, ProductJob.Variant.ROCKSDB_EO, prefix, checkpointDir);
        CaptureReporter.reset();
        JobClient job = env.executeAsync("latency");
        Map<String, Long> sentAt = new ConcurrentHashMap<>(workload.entries.size() * 2);
        Percentiles latencies = new Percentiles();
        AtomicBoolean stop = new AtomicBoolean();
        long[] measureFrom = {Long.MAX_VALUE};
        Thread reader = new Thread(() -> readSignals(infra, prefix, sentAt, latencies, stop, measureFrom), "latency-reader");
        try {
            awaitRunning(job);
            reader.start();
            double achieved = send(infra, workload, rate, sentAt, measureFrom);
            // The last inputs become visible after at most one more checkpoint (+ its duration).
            Thread.sleep(FlinkRun.CHECKPOINT_INTERVAL.toMillis() * 2 + 2000);
            stop.set(true);
            reader.join();
            synchronized (latencies) {
                return new Result(accounts, rate, achieved, latencies.count(), latencies.percentile(50), latencies.percentile(99));
            }
        } finally {
            stop.set(true);
            job.cancel().get();
        }
    }

    private static CapturedWorkload generate(Infra infra, WorkloadTopics in, int accounts, long needed) {
        WorkloadSpec spec = WorkloadSpec.defaults(Instant.now()).withSeed(7).withAccounts(accounts)
                .withStart(Instant.now().minus(Duration.ofDays(1500)));
        WorkloadGenerator generator = new WorkloadGenerator(spec);
        CapturedWorkload workload = new CapturedWorkload(in, infra.registry());
        while (workload.entries.size() < needed && generator.tick(workload)) {
            // one simulated step per tick
        }
        return workload;
    }

    /** Waits until the job's tasks run, so start-up is not counted as latency. */
    private static void awaitRunning(JobClient job) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (CaptureReporter.counterSum("numRecordsIn", ProductJob.ENGINE_OPERATOR) == 0
                && CaptureReporter.jobGauge("numberOfCompletedCheckpoints") < 1) {
            if (System.nanoTime() > deadline || job.getJobStatus().get().isGloballyTerminalState()) {
                throw new IllegalStateException("latency job did not start: " + job.getJobStatus().get());
            }
            Thread.sleep(100);
        }
    }

    /** Paces sends on a fixed schedule (no coordinated omission: a late send does not push the next ones back). */
    private static double send(Infra infra, CapturedWorkload workload, double rate, Map<String, Long> sentAt, long[] measureFrom) {
        Properties p = KafkaWorkloadSink.producerProperties(infra.bootstrap(), Map.of("linger.ms", "1"));
        long start = System.nanoTime();
        long startMs = System.currentTimeMillis();
        measureFrom[0] = startMs + WARM_UP.toMillis();
        int n = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (CapturedWorkload.Entry e : workload.entries) {
                long due = start + (long) (n / rate * 1e9);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
                long now = System.currentTimeMillis();
                sentAt.put(e.eventId(), now);
                producer.send(new ProducerRecord<>(e.topic(), null, now, e.key(), e.value()));
                n++;
            }
        }
        return n / ((System.nanoTime() - start) / 1e9);
    }

    private static void readSignals(Infra infra, String prefix, Map<String, Long> sentAt, Percentiles latencies,
            AtomicBoolean stop, long[] measureFrom) {
        Properties p = new Properties();
        p.put("bootstrap.servers", infra.bootstrap());
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        // As a latency-sensitive consumer would: read_committed data only appears at commits, and with
        // the default 500 ms fetch wait a fetch that found none would hold a commit's data back.
        p.put("fetch.max.wait.ms", "20");
        var expansion = new ConfluentAvroDecoder<>(ExpansionSignal.class, infra.registry());
        var churn = new ConfluentAvroDecoder<>(ChurnRiskSignal.class, infra.registry());
        var movements = new ConfluentAvroDecoder<>(MrrMovement.class, infra.registry());
        List<String> topics = List.of(prefix + "expansion-signals", prefix + "churn-risk-signals", prefix + "mrr-movements");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = topics.stream().flatMap(t -> consumer.partitionsFor(t).stream())
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            while (!stop.get()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(20))) {
                    long received = System.currentTimeMillis();
                    String cause = cause(r, prefix, expansion, churn, movements);
                    Long sent = cause == null ? null : sentAt.get(cause);
                    if (sent != null && sent >= measureFrom[0]) {
                        synchronized (latencies) {
                            latencies.add(received - sent);
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
