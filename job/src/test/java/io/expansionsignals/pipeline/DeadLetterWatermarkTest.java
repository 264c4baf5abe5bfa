package io.expansionsignals.pipeline;

import static io.expansionsignals.testutils.Events.day;
import static io.expansionsignals.testutils.Events.delta;
import static org.assertj.core.api.Assertions.assertThat;

import io.expansionsignals.functions.AccountEvents;
import io.expansionsignals.schema.DeadLetter;
import io.expansionsignals.schema.DeadLetterReason;
import io.expansionsignals.schema.internal.DecodedRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.clock.RelativeClock;
import org.apache.flink.util.clock.ManualClock;
import org.junit.jupiter.api.Test;

/**
 * A dead letter carries no event time. The job's watermarks used to take its Kafka record
 * timestamp (when it was produced: today) as if it were one, so while the job read history, one
 * malformed record per partition moved event time to today and fired every timer due until then.
 */
class DeadLetterWatermarkTest {
    private static final Duration OUT_OF_ORDERNESS = Duration.ofHours(3);
    private static final long PRODUCED_TODAY = Instant.parse("2026-12-01T12:00:00Z").toEpochMilli();

    private static final Duration IDLENESS = Duration.ofMinutes(1);

    private final ManualClock clock = new ManualClock();
    private final WatermarkStrategy<DecodedRecord> strategy = ExpansionSignalsPipeline.watermarks(OUT_OF_ORDERNESS, IDLENESS);
    private final TimestampAssigner<DecodedRecord> timestamps = strategy.createTimestampAssigner(() -> new UnregisteredMetricsGroup());
    private final WatermarkGenerator<DecodedRecord> generator = strategy.createWatermarkGenerator(new WatermarkGeneratorSupplier.Context() {
        @Override
        public MetricGroup getMetricGroup() {
            return new UnregisteredMetricsGroup();
        }

        @Override
        public RelativeClock getInputActivityClock() {
            return clock;
        }
    });
    private final List<Long> emitted = new ArrayList<>();
    private boolean idle;
    private final WatermarkOutput output = new WatermarkOutput() {
        @Override
        public void emitWatermark(Watermark watermark) {
            emitted.add(watermark.getTimestamp());
            idle = false;
        }

        @Override
        public void markIdle() {
            idle = true;
        }

        @Override
        public void markActive() {
            idle = false;
        }
    };

    @Test
    void aDeadLetterProducedTodayDoesNotMoveEventTimeOfHistory() {
        read(AccountEvents.wrap(delta("acme", "api_calls", 1, day(10))), day(10).toEpochMilli());
        read(deadLetter(), PRODUCED_TODAY);
        generator.onPeriodicEmit(output);

        assertThat(emitted).last().isEqualTo(day(10).toEpochMilli() - OUT_OF_ORDERNESS.toMillis() - 1);
    }

    @Test
    void eventsStillMoveItAndADeadLetterKeepsItsKafkaTimestamp() {
        read(AccountEvents.wrap(delta("acme", "api_calls", 1, day(10))), PRODUCED_TODAY);
        read(deadLetter(), PRODUCED_TODAY);
        read(AccountEvents.wrap(delta("acme", "api_calls", 1, day(12))), PRODUCED_TODAY);
        generator.onPeriodicEmit(output);

        assertThat(emitted).last().isEqualTo(day(12).toEpochMilli() - OUT_OF_ORDERNESS.toMillis() - 1);
        assertThat(timestamps.extractTimestamp(deadLetter(), PRODUCED_TODAY)).isEqualTo(PRODUCED_TODAY);
        assertThat(timestamps.extractTimestamp(AccountEvents.wrap(delta("acme", "api_calls", 1, day(12))), PRODUCED_TODAY))
                .isEqualTo(day(12).toEpochMilli());
    }

    @Test
    void anInputWithOnlyDeadLettersGoesIdleAndDoesNotHoldEventTimeBack() {
        read(AccountEvents.wrap(delta("acme", "api_calls", 1, day(10))), day(10).toEpochMilli());
        generator.onPeriodicEmit(output);
        assertThat(idle).isFalse();
        for (int i = 0; i < 4; i++) { // garbage keeps arriving, no event does
            clock.advanceTime(IDLENESS.dividedBy(2));
            read(deadLetter(), PRODUCED_TODAY);
            generator.onPeriodicEmit(output);
        }
        assertThat(idle).isTrue();

        read(AccountEvents.wrap(delta("acme", "api_calls", 1, day(11))), day(11).toEpochMilli());
        generator.onPeriodicEmit(output);
        assertThat(idle).isFalse();
        assertThat(emitted).last().isEqualTo(day(11).toEpochMilli() - OUT_OF_ORDERNESS.toMillis() - 1);
    }

    /** As a source does: the timestamp the assigner gives the record is what the generator sees. */
    private void read(DecodedRecord record, long kafkaTimestamp) {
        generator.onEvent(record, timestamps.extractTimestamp(record, kafkaTimestamp), output);
    }

    private static DecodedRecord deadLetter() {
        return AccountEvents.wrap(DeadLetter.newBuilder().setReason(DeadLetterReason.UNDECODABLE).setDetail("garbage")
                .setSourceTopic("usage-events").setPartition(0).setOffset(7).setFailedAt(Instant.ofEpochMilli(PRODUCED_TODAY)).build());
    }
}
