package io.expansionsignals.bench;

import io.expansionsignals.config.ExpansionSignalsOptions;
import io.expansionsignals.io.registry.ConfluentWireFormat;
import io.expansionsignals.workload.WorkloadTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The framework floor for timers: the floor's shape (the same source, keyBy account, one small
 * ValueState, the same exactly-once sink) with the product's timer pattern and nothing else of its
 * logic. An account's first event schedules one event-time timer 30 days on; each firing updates
 * the state, writes one record and schedules the next (day 90, then day 180), as the product's one
 * wake-up timer per account chains its tenure milestones. Event time is the payload's occurredAt,
 * read without decoding the rest ({@link #occurredAt}), with the product's default out-of-orderness
 * and idleness.
 */
public final class TimerFloorJob {
    public static final String TIMER_OPERATOR = "floor timers";
    /** The operator's counter of timers fired. */
    public static final String FIRED = "timers_fired";
    /** When an account's timers fall due, in days after its first event: the product's tenure milestones. */
    static final long[] DUE_DAYS = {30, 90, 180};
    private static final long DAY_MILLIS = Duration.ofDays(1).toMillis();

    private TimerFloorJob() {}

    /**
     * Creates the output topic ({@code runPrefix + "floor-out"}) and returns an environment with the
     * timer floor over the three input topics, checkpointing to {@code checkpointDir}.
     */
    public static StreamExecutionEnvironment build(Infra infra, WorkloadTopics in, String runPrefix, Path checkpointDir)
            throws Exception {
        String output = FloorJob.output(runPrefix);
        infra.createTopics(List.of(output));
        StreamExecutionEnvironment env = FlinkRun.environment(
                FlinkRun.baseConfiguration(FloorJob.configuration(), checkpointDir));
        long latest = System.currentTimeMillis() + DAY_MILLIS; // once, not a clock read per record
        WatermarkStrategy<Tuple2<String, byte[]>> watermarks = WatermarkStrategy
                .<Tuple2<String, byte[]>>forBoundedOutOfOrderness(ExpansionSignalsOptions.OUT_OF_ORDERNESS.defaultValue())
                .withTimestampAssigner((record, kafkaTime) -> occurredAt(record.f1, latest))
                .withIdleness(ExpansionSignalsOptions.IDLENESS.defaultValue());
        List<String> inputs = List.of(in.subscription(), in.usage(), in.engagement());
        env.fromSource(FloorJob.source(infra.bootstrap(), inputs, runPrefix), watermarks, "floor source")
                .keyBy(t -> t.f0, Types.STRING)
                .process(new MilestonesPerAccount(), Types.STRING)
                .name(TIMER_OPERATOR)
                .sinkTo(FloorJob.sink(infra.bootstrap(), output, runPrefix))
                .name("floor sink");
        return env;
    }

    /**
     * The occurredAt of a Confluent-framed input record (magic byte 0, a 4-byte schema id, then the
     * Avro body), whose schemas all begin eventId, accountId, occurredAt; {@link Long#MIN_VALUE} for
     * a record that is not one (the workload's malformed share), which then moves no watermark, as the
     * product's dead letters do not. A time after {@code latest} counts as malformed too.
     */
    static long occurredAt(byte[] value, long latest) {
        if (ConfluentWireFormat.headerProblem(value) != null) {
            return Long.MIN_VALUE;
        }
        VarLongs in = new VarLongs(value, ConfluentWireFormat.HEADER_LENGTH);
        for (int field = 0; field < 2; field++) { // eventId, accountId: a length, then that many bytes
            long length = in.next();
            if (length < 0 || !in.skip(length)) {
                return Long.MIN_VALUE;
            }
        }
        long at = in.next();
        return at >= 0 && at <= latest ? at : Long.MIN_VALUE;
    }

    /** Avro's zig-zag varints read from a byte array; -1 once a read runs past its end. */
    private static final class VarLongs {
        private final byte[] bytes;
        private int position;

        VarLongs(byte[] bytes, int position) {
            this.bytes = bytes;
            this.position = position;
        }

        long next() {
            long raw = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (position >= bytes.length) {
                    return -1;
                }
                int b = bytes[position++] & 0xff;
                raw |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return (raw >>> 1) ^ -(raw & 1);
                }
            }
            return -1;
        }

        boolean skip(long length) {
            if (length > bytes.length - position) {
                return false;
            }
            position += (int) length;
            return true;
        }
    }

    /**
     * Counts an account's events and fires its three timers in turn, one pending at a time. One
     * small value per account, as the floor's: the count of events and timers shifted left by two,
     * the milestones fired so far in the two low bits.
     */
    static final class MilestonesPerAccount extends KeyedProcessFunction<String, Tuple2<String, byte[]>, String> {
        private transient ValueState<Long> state;
        private transient Counter fired;

        @Override
        public void open(OpenContext ctx) {
            state = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
            fired = getRuntimeContext().getMetricGroup().counter(FIRED);
        }

        @Override
        public void processElement(Tuple2<String, byte[]> e, Context ctx, Collector<String> out) throws Exception {
            Long s = state.value();
            Long at = ctx.timestamp();
            if (s == null && at != null && at != Long.MIN_VALUE) {
                // counted from the account's first event, as a tenure milestone from its start
                ctx.timerService().registerEventTimeTimer(at + DUE_DAYS[0] * DAY_MILLIS);
            }
            state.update(s == null ? 1L << 2 : s + (1L << 2));
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<String> out) throws Exception {
            fired.inc();
            long s = state.value();
            int done = (int) (s & 3);
            state.update(s + (1L << 2) + 1);
            out.collect(ctx.getCurrentKey() + "@" + timestamp);
            if (done + 1 < DUE_DAYS.length) {
                ctx.timerService().registerEventTimeTimer(timestamp + (DUE_DAYS[done + 1] - DUE_DAYS[done]) * DAY_MILLIS);
            }
        }
    }
}
