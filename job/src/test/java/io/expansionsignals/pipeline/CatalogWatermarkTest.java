package io.expansionsignals.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.expansionsignals.testutils.CollectingSink;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The plan catalog is broadcast into the account operator but is not event-time data: a silent
 * catalog must not hold the operator's event time back. Before, it counted as idle only after
 * {@code watermark.idleness} (30 s) of silence, so after every start every timer waited that long
 * and then all fired at once.
 */
class CatalogWatermarkTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1).build());

    private static final MapStateDescriptor<String, Long> CATALOG = new MapStateDescriptor<>("catalog", Types.STRING, Types.LONG);

    @Test
    void aSilentCatalogDoesNotHoldBackTheTimersOfTheEventSide() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        GeneratorFunction<Long, Long> identity = n -> n;
        // events with event time n seconds, unbounded: the event side's watermark moves on
        DataStream<Long> events = env.fromSource(
                new DataGeneratorSource<>(identity, Long.MAX_VALUE, RateLimiterStrategy.perSecond(50), Types.LONG),
                WatermarkStrategy.<Long>forMonotonousTimestamps().withTimestampAssigner((n, previous) -> n * 1000), "events");
        // a catalog that says one thing at start and then nothing, but stays open, like an unchanged catalog topic
        DataStream<Long> catalog = env.fromSource(
                new DataGeneratorSource<>(identity, Long.MAX_VALUE, RateLimiterStrategy.perSecond(0.0001), Types.LONG),
                ExpansionSignalsPipeline.outsideEventTime(), "catalog");
        CollectingSink<Long> fired = new CollectingSink<>("catalog-watermark-timers");
        events.keyBy(n -> 0L)
                .connect(catalog.broadcast(CATALOG))
                .process(new KeyedBroadcastProcessFunction<Long, Long, Long, Long>() {
                    @Override
                    public void processElement(Long n, ReadOnlyContext ctx, Collector<Long> out) {
                        if (n == 1) {
                            ctx.timerService().registerEventTimeTimer(3_000); // event time 3 s: three events later
                        }
                    }

                    @Override
                    public void processBroadcastElement(Long n, Context ctx, Collector<Long> out) {}

                    @Override
                    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Long> out) {
                        out.collect(timestamp);
                    }
                }, Types.LONG)
                .sinkTo(fired);

        JobClient job = env.executeAsync("catalog watermark");
        try {
            // well under the 30 s of idleness that used to release the timers
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (fired.results().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(fired.results()).containsExactly(3_000L);
        } finally {
            job.cancel().get();
        }
    }
}
