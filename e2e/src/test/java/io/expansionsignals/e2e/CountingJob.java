package io.expansionsignals.e2e;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

/**
 * A tiny stateful job for the cluster smoke test, packed into a jar at test time (see
 * {@link JobJars}); it only needs what the cluster's lib/ already has.
 *
 * <p>One source (parallelism 1) emits 0, 1, 2, ... at a fixed rate; they are keyed by
 * {@code n % KEYS} and a RocksDB {@code ValueState<Long>} counts per key. Because every key sees
 * n = k, k+KEYS, k+2·KEYS, ... in order, the correct count on seeing n is exactly
 * {@code n / KEYS + 1}. Source position and counts are checkpointed together, so after any
 * restore (checkpoint or savepoint) that still holds; lost or duplicated state breaks it. The
 * function publishes that check as metrics the test reads off the Prometheus endpoint:
 * {@code countMismatches} (must stay 0), {@code highestCount}, and {@code firstCount}, the count
 * this subtask emitted first since it (re)started: 1 on a fresh start, at least the count reached
 * before the savepoint after a restore from it.
 *
 * <p>Arguments: {@code [recordsPerSecond]} (default 200).
 */
public final class CountingJob {

    static final int KEYS = 8;
    static final String OPERATOR_NAME = "running-count";
    static final String JOB_NAME = "counting-job";

    public static void main(String[] args) throws Exception {
        double recordsPerSecond = args.length > 0 ? Double.parseDouble(args[0]) : 200;

        Configuration conf = new Configuration();
        // As the product job does: fail on anything that would fall back to Kryo.
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.enableCheckpointing(1000);

        DataGeneratorSource<Long> numbers = new DataGeneratorSource<>(
                new Identity(), Long.MAX_VALUE, RateLimiterStrategy.perSecond(recordsPerSecond), Types.LONG);

        env.fromSource(numbers, WatermarkStrategy.noWatermarks(), "numbers")
                .setParallelism(1) // one ordered sequence, so the expected count is computable
                .uid("numbers")
                .keyBy(new ByResidue(), Types.LONG)
                .process(new RunningCount())
                .name(OPERATOR_NAME)
                .uid(OPERATOR_NAME)
                .sinkTo(new DiscardingSink<>())
                .uid("discard");

        env.execute(JOB_NAME);
    }

    static final class Identity implements GeneratorFunction<Long, Long> {
        @Override
        public Long map(Long index) {
            return index;
        }
    }

    static final class ByResidue implements KeySelector<Long, Long> {
        @Override
        public Long getKey(Long n) {
            return n % KEYS;
        }
    }

    static final class RunningCount extends KeyedProcessFunction<Long, Long, Long> {
        private transient ValueState<Long> count;
        private transient Counter mismatches;
        private transient volatile long highestCount;
        private transient volatile long firstCount;

        @Override
        public void open(OpenContext openContext) {
            count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
            mismatches = getRuntimeContext().getMetricGroup().counter("countMismatches");
            getRuntimeContext().getMetricGroup().gauge("highestCount", () -> highestCount);
            getRuntimeContext().getMetricGroup().gauge("firstCount", () -> firstCount);
        }

        @Override
        public void processElement(Long n, Context ctx, Collector<Long> out) throws Exception {
            Long previous = count.value();
            long next = previous == null ? 1 : previous + 1;
            count.update(next);
            if (next != n / KEYS + 1) {
                mismatches.inc();
            }
            highestCount = Math.max(highestCount, next);
            if (firstCount == 0) {
                firstCount = next;
            }
            out.collect(next);
        }
    }
}
