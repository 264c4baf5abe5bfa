package io.expansionsignals.pipeline;

import io.expansionsignals.domain.EngineSettings;
import io.expansionsignals.domain.PeriodDelta;
import io.expansionsignals.functions.AccountEvents;
import io.expansionsignals.functions.AccountOperator;
import io.expansionsignals.functions.AccountProcessor;
import io.expansionsignals.functions.CatalogState;
import io.expansionsignals.functions.DeadLetterRouter;
import io.expansionsignals.functions.OutputTags;
import io.expansionsignals.functions.PeriodDeltaOperator;
import io.expansionsignals.functions.PortfolioMetricsFunction;
import io.expansionsignals.io.shuffle.PlannedAvroTypeInfo;
import io.expansionsignals.schema.MrrMovement;
import io.expansionsignals.schema.PortfolioMetrics;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import io.expansionsignals.schema.DeadLetter;
import io.expansionsignals.schema.ExpansionSignal;
import io.expansionsignals.schema.internal.DecodedRecord;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.eventtime.BoundedOutOfOrdernessWatermarks;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.eventtime.WatermarksWithIdleness;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Wiring only: the job is a function of its input streams and its sinks, so tests pass bounded
 * sources and collecting sinks while production passes Kafka. Every stateful operator has a
 * stable uid so savepoints survive upgrades.
 */
public final class ExpansionSignalsPipeline {
    public static final String UID_ROUTER = "dead-letter-router";
    public static final String UID_ACCOUNTS = "account-state";
    public static final String UID_PORTFOLIO = "portfolio-metrics";
    /** Stateless (it holds nothing across a barrier), but named like every other operator. */
    public static final String UID_PERIOD_DELTAS = "movements-by-period";

    private ExpansionSignalsPipeline() {}

    /**
     * Event time from the payload with bounded out-of-orderness; idle inputs do not stall it. A
     * dead letter has no event time: it keeps its Kafka record's timestamp (the time it was
     * produced) for its trip to the dead-letter topic, but does not move the watermark. Before, it
     * did: one malformed record per partition moved event time to the wall clock, and a job reading
     * history (a backfill, a restart after an outage, a producer behind) fired every timer due
     * until today at once — every milestone of every account, cancellations, expiries — and
     * counted each later record as late.
     */
    public static WatermarkStrategy<DecodedRecord> watermarks(Duration outOfOrderness, Duration idleness) {
        // Idleness inside: an input that carries only dead letters for a while is idle, not holding event time back.
        return WatermarkStrategy.<DecodedRecord>forGenerator(context -> new EventsOnly(new WatermarksWithIdleness<>(
                        new BoundedOutOfOrdernessWatermarks<>(outOfOrderness), idleness, context.getInputActivityClock())))
                .withTimestampAssigner((r, kafkaTimestamp) -> {
                    long t = AccountEvents.eventTime(r);
                    return t == Long.MIN_VALUE ? kafkaTimestamp : t;
                });
    }

    /** Watermarks from account events only: a dead letter's timestamp is not event time. */
    static final class EventsOnly implements WatermarkGenerator<DecodedRecord> {
        private final WatermarkGenerator<DecodedRecord> events;

        EventsOnly(WatermarkGenerator<DecodedRecord> events) {
            this.events = events;
        }

        @Override
        public void onEvent(DecodedRecord record, long timestamp, WatermarkOutput output) {
            if (!AccountEvents.isDeadLetter(record)) {
                events.onEvent(record, timestamp, output);
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            events.onPeriodicEmit(output);
        }
    }

    /**
     * For inputs that are not event-time data (the plan catalog): never a watermark, and idle from
     * the first periodic emit on, so the account events alone move event time. Idle only once quiet
     * for {@code watermark.idleness}, as before, the catalog held the account operator's watermark
     * at its start for that long after every start and restart, and every timer due meanwhile then
     * fired in one burst (at 100 k accounts a 2-4 s stall of all outputs). Reporting the end of time
     * instead would let idle account inputs fire every timer, expiry included, at once.
     */
    public static <T> WatermarkStrategy<T> outsideEventTime() {
        return WatermarkStrategy.forGenerator(context -> new AlwaysIdle<>());
    }

    /** Emits no watermark and reports its input idle, records flowing or not. */
    static final class AlwaysIdle<T> implements WatermarkGenerator<T> {
        @Override
        public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {}

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            output.markIdle();
        }
    }

    /**
     * @param inputs decoded input streams, already carrying timestamps and watermarks
     */
    public static void defineWorkflow(List<DataStream<DecodedRecord>> inputs, OutputSinks sinks, EngineSettings settings,
            Duration dedupWindow, Duration churnedMemory) {
        defineWorkflow(inputs, null, sinks, settings, dedupWindow, churnedMemory);
    }

    /**
     * @param inputs decoded input streams, already carrying timestamps and watermarks
     * @param catalogUpdates decoded plan-catalog records, broadcast to every instance; null when the
     *     job runs on its start-up catalog only
     */
    public static void defineWorkflow(List<DataStream<DecodedRecord>> inputs, DataStream<DecodedRecord> catalogUpdates,
            OutputSinks sinks, EngineSettings settings, Duration dedupWindow, Duration churnedMemory) {
        // Route dead letters next to each source, at its parallelism: the router chains to the source,
        // so no rebalance reorders an account's events before the keyBy.
        DataStream<DecodedRecord> valid = null;
        DataStream<DeadLetter> deadLetters = null;
        for (int i = 0; i < inputs.size(); i++) {
            DataStream<DecodedRecord> input = inputs.get(i);
            SingleOutputStreamOperator<DecodedRecord> routed = input
                    .process(new DeadLetterRouter(), AccountEvents.TYPE)
                    .setParallelism(input.getParallelism())
                    .name("route dead letters " + i)
                    .uid(UID_ROUTER + "-" + i);
            valid = valid == null ? routed : valid.union(routed);
            DataStream<DeadLetter> rejected = routed.getSideOutput(OutputTags.DEAD_LETTERS);
            deadLetters = deadLetters == null ? rejected : deadLetters.union(rejected);
        }
        StreamExecutionEnvironment env = inputs.get(0).getExecutionEnvironment();
        // No function here changes or keeps a record it was handed, so chained operators may share
        // it instead of deep-copying every record (Avro copies were a tenth of the engine thread).
        env.getConfig().enableObjectReuse();
        if (catalogUpdates == null) {
            // An input that never emits: the operator keeps one shape (and one uid) with or without a catalog topic.
            catalogUpdates = env.fromSequence(0, 0).filter(n -> false).name("no catalog updates")
                    .map(n -> (DecodedRecord) null, AccountEvents.TYPE).name("no catalog updates");
        }
        SingleOutputStreamOperator<DecodedRecord> catalog = catalogUpdates
                .process(new DeadLetterRouter(), AccountEvents.TYPE)
                .setParallelism(catalogUpdates.getParallelism())
                .name("route dead letters catalog")
                .uid(UID_ROUTER + "-catalog");
        deadLetters = deadLetters.union(catalog.getSideOutput(OutputTags.DEAD_LETTERS));

        // Flink's keyed-broadcast operator with a flush before each barrier (AccountOperator), so
        // the connection is built by hand: keyed accounts, the catalog broadcast to every instance.
        SingleOutputStreamOperator<ExpansionSignal> signals = valid
                .keyBy(AccountEvents::accountId)
                .connect(catalog.broadcast())
                .transform("account engine", new PlannedAvroTypeInfo<>(ExpansionSignal.class),
                        new AccountOperator(new AccountProcessor(settings, dedupWindow, churnedMemory)))
                .uid(UID_ACCOUNTS);

        deadLetters.union(signals.getSideOutput(OutputTags.DEAD_LETTERS))
                .sinkTo(sinks.deadLetters()).name("dead-letters").uid("sink-dead-letters");
        signals.sinkTo(sinks.expansionSignals()).name("expansion-signals").uid("sink-expansion-signals");
        signals.getSideOutput(OutputTags.CHURN_RISK).sinkTo(sinks.churnRiskSignals()).name("churn-risk-signals")
                .uid("sink-churn-risk-signals");
        signals.getSideOutput(OutputTags.HEALTH).sinkTo(sinks.accountHealth()).name("account-health")
                .uid("sink-account-health");
        DataStream<MrrMovement> movements = signals.getSideOutput(OutputTags.MOVEMENTS);
        movements.sinkTo(sinks.mrrMovements()).name("mrr-movements").uid("sink-mrr-movements");
        movements
                .transform("movements by period and segment", TypeInformation.of(PeriodDelta.class),
                        new PeriodDeltaOperator(settings.portfolioPeriod))
                .uid(UID_PERIOD_DELTAS)
                .keyBy(d -> d.segment)
                .process(new PortfolioMetricsFunction(settings.portfolioPeriod, settings.fx.reportingCurrency()),
                        new PlannedAvroTypeInfo<>(PortfolioMetrics.class))
                .name("portfolio metrics")
                .uid(UID_PORTFOLIO)
                .sinkTo(sinks.portfolioMetrics()).name("portfolio-metrics").uid("sink-portfolio-metrics");
    }
}
