package io.expansionsignals.bench;

import io.expansionsignals.config.JobConfig;
import io.expansionsignals.pipeline.KafkaJob;
import io.expansionsignals.workload.WorkloadTopics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The product job exactly as {@link KafkaJob} builds it, pointed at the benchmark's topics. */
public final class ProductJob {
    /** The three product variants the issue asks for. */
    public enum Variant {
        ROCKSDB_EO("product RocksDB + exactly-once", "rocksdb", DeliveryGuarantee.EXACTLY_ONCE),
        HASHMAP_EO("product HashMap + exactly-once", "hashmap", DeliveryGuarantee.EXACTLY_ONCE),
        ROCKSDB_ALO("product RocksDB + at-least-once", "rocksdb", DeliveryGuarantee.AT_LEAST_ONCE);

        final String label;
        final String backend;
        final DeliveryGuarantee guarantee;

        Variant(String label, String backend, DeliveryGuarantee guarantee) {
            this.label = label;
            this.backend = backend;
            this.guarantee = guarantee;
        }

        /** Whether the job keeps an account cache in front of the state (it does on RocksDB only, see KafkaJob). */
        boolean cachesAccounts() {
            return backend.equals("rocksdb");
        }
    }

    /** Operator-name prefixes whose input counts add up to every input record (valid + dead letters). */
    public static final String ENGINE_OPERATOR = "account engine";
    public static final String DEAD_LETTER_WRITER = "dead-letters: Writer";

    /**
     * Every topic the job writes, each created per run. One left out (portfolio-metrics was, until
     * run 10) is written to the job's default topic, which this broker does not create: the first
     * portfolio period to close then blocked its sink for a minute on metadata and failed the job,
     * which stalled every output meanwhile.
     */
    static final List<String> OUTPUTS = List.of("expansion-signals", "churn-risk-signals", "account-health", "mrr-movements",
            "portfolio-metrics", "dead-letters");

    private ProductJob() {}

    /** The job's settings; output topics, group and transactional ids under {@code runPrefix}. */
    public static JobConfig config(Infra infra, WorkloadTopics in, String runPrefix, String startingOffsets,
            String... extraArgs) {
        List<String> args = new ArrayList<>(List.of(
                "--kafka.bootstrap-servers", infra.bootstrap(),
                "--registry.url", infra.registryUrl(),
                "--kafka.group-id", runPrefix + "job",
                "--kafka.transactional-id-prefix", runPrefix + "job",
                "--kafka.starting-offsets", startingOffsets,
                "--checkpoint.interval", FlinkRun.CHECKPOINT_INTERVAL.toMillis() + "ms",
                "--parallelism", String.valueOf(FlinkRun.PARALLELISM),
                "--topic.subscription-events", in.subscription(),
                "--topic.usage-events", in.usage(),
                "--topic.engagement-events", in.engagement()));
        for (String out : OUTPUTS) {
            args.add("--topic." + out);
            args.add(runPrefix + out);
        }
        args.addAll(List.of(extraArgs));
        // Experiments: -Dbench.job.<option>=<value> sets any job option (e.g. state.account-cache-size).
        ExperimentProperties.withPrefix("bench.job.").forEach((option, value) -> args.addAll(List.of("--" + option, value)));
        return JobConfig.from(args.toArray(String[]::new), k -> null);
    }

    /** Creates the run's output topics (the broker does not auto-create) and wires the job. */
    public static StreamExecutionEnvironment build(Infra infra, JobConfig config, Variant variant, String runPrefix,
            java.nio.file.Path checkpointDir) throws Exception {
        return build(infra, config, variant, runPrefix, checkpointDir, Map.of());
    }

    /** The same, with Flink settings of the run's own on top (e.g. a checkpointing mode). */
    public static StreamExecutionEnvironment build(Infra infra, JobConfig config, Variant variant, String runPrefix,
            java.nio.file.Path checkpointDir, Map<String, String> flinkSettings) throws Exception {
        List<String> outputs = new ArrayList<>();
        for (String out : OUTPUTS) {
            outputs.add(runPrefix + out);
        }
        infra.createTopics(outputs);
        Configuration conf = FlinkRun.baseConfiguration(KafkaJob.flinkConfiguration(config), checkpointDir);
        conf.setString("state.backend.type", variant.backend);
        conf.setString("parallelism.default", String.valueOf(FlinkRun.PARALLELISM));
        flinkSettings.forEach(conf::setString);
        return KafkaJob.create(config, FlinkRun.environment(conf), variant.guarantee);
    }

    /**
     * What served the account reads, from the engine's gauges: "account cache (40,000 accounts per
     * subtask) served 93.6 % of account reads, the known-accounts filter 6.1 % (new accounts),
     * RocksDB 0.3 %". The capacity is the smallest subtask's (an unset size follows the heap).
     */
    public static String accountReads() {
        long hits = CaptureReporter.gaugeSum("account_cache_hits", ENGINE_OPERATOR);
        long skipped = CaptureReporter.gaugeSum("account_reads_skipped", ENGINE_OPERATOR);
        long misses = CaptureReporter.gaugeSum("account_cache_misses", ENGINE_OPERATOR);
        long capacity = CaptureReporter.gaugeMin("account_cache_capacity", ENGINE_OPERATOR);
        double reads = Math.max(1, hits + skipped + misses);
        return String.format(java.util.Locale.ROOT, "account cache (%,d accounts per subtask) served %.1f %% of account "
                + "reads, the known-accounts filter %.1f %% (new accounts), RocksDB %.1f %%", Math.max(0, capacity),
                100 * hits / reads, 100 * skipped / reads, 100 * misses / reads);
    }

    /**
     * Timer work of the account operator per 1,000 input events: due steps (the steps a firing
     * caught up on among them) and timers left over.
     */
    public static String timersPerEvent(long events) {
        long due = timersDue();
        long caughtUp = CaptureReporter.counterSum("timers_caught_up", ENGINE_OPERATOR);
        long leftOver = CaptureReporter.counterSum("timers_left_over", ENGINE_OPERATOR);
        return String.format(java.util.Locale.ROOT, "timers fired per 1,000 events: %.1f due (%.1f of them caught up "
                + "in an earlier due timer's firing), %.1f left over", 1000.0 * due / events, 1000.0 * caughtUp / events,
                1000.0 * leftOver / events);
    }

    /**
     * Records each output sink took in per 1,000 input events, e.g. "expansion-signals 271.0,
     * account-health 140.2, ...": the product's work that the floor (2 %) does not have.
     */
    public static String outputsPerEvent(long events) {
        StringBuilder out = new StringBuilder("outputs per 1,000 events:");
        String sep = " ";
        for (String sink : OUTPUTS) {
            long written = written(sink);
            out.append(sep).append(String.format(java.util.Locale.ROOT, "%s %.1f", sink, 1000.0 * written / events));
            sep = ", ";
        }
        return out.toString();
    }

    /**
     * The product's work as counted so far, logged by tenth: timers fired with work due, accounts
     * held, reads the account cache missed, and records written to each output.
     */
    static Map<String, LongSupplier> workCounters() {
        Map<String, LongSupplier> counters = new LinkedHashMap<>();
        counters.put("timers", ProductJob::timersDue);
        // what makes the onboarding tenths slower. Accounts held grow by the accounts met for the
        // first time (less any expired: the benchmark's days of input expire none)
        counters.put("new-accounts", () -> CaptureReporter.gaugeSum("accounts_in_state", ENGINE_OPERATOR));
        counters.put("cache-misses", () -> CaptureReporter.gaugeSum("account_cache_misses", ENGINE_OPERATOR));
        counters.put("reads-skipped", () -> CaptureReporter.gaugeSum("account_reads_skipped", ENGINE_OPERATOR));
        for (String sink : OUTPUTS) {
            counters.put(sink, () -> written(sink));
        }
        return counters;
    }

    /** Steps of due timer work: timers fired with work due, and the later steps their firings caught up on. */
    private static long timersDue() {
        return CaptureReporter.counterSum("timers_due", ENGINE_OPERATOR)
                + CaptureReporter.counterSum("timers_caught_up", ENGINE_OPERATOR);
    }

    /** Records every output sink has taken in so far. */
    static long outputsWritten() {
        long sum = 0;
        for (String sink : OUTPUTS) {
            sum += written(sink);
        }
        return sum;
    }

    /** Records the output sink {@code sink} has taken in so far. */
    private static long written(String sink) {
        return CaptureReporter.counterSum("numRecordsIn", sink + ": Writer");
    }

    public static long processed() {
        return CaptureReporter.counterSum("numRecordsIn", ENGINE_OPERATOR)
                + CaptureReporter.counterSum("numRecordsIn", DEAD_LETTER_WRITER);
    }

    public static String outputTopic(String runPrefix, String name) {
        return runPrefix + name;
    }
}
