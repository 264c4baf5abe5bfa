package io.expansionsignals.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.expansionsignals.domain.PeriodDelta;
import io.expansionsignals.domain.UsagePeriod;
import io.expansionsignals.io.shuffle.PlannedAvroSerializer;
import io.expansionsignals.schema.MovementType;
import io.expansionsignals.schema.MrrMovement;
import io.expansionsignals.schema.PortfolioMetrics;
import io.expansionsignals.schema.Segment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The local half of the portfolio aggregation: what it holds, when it lets go, and that the totals come out the same. */
class PeriodDeltaOperatorTest {
    private static final Instant JAN = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant FEB = Instant.parse("2026-02-01T00:00:00Z");

    @Test
    void movementsAreSummedPerSegmentAndPeriodAndSentBeforeTheWatermarkThatFollowsThem() throws Exception {
        try (var h = harness()) {
            h.processElement(movement("a", Segment.SMB, MovementType.NEW, 10_000, JAN.plusSeconds(60)));
            h.processElement(movement("b", Segment.ENTERPRISE, MovementType.NEW, 50_000, JAN.plusSeconds(120)));
            h.processElement(movement("a", Segment.SMB, MovementType.EXPANSION, 2_000, JAN.plusSeconds(180)));
            h.processElement(movement("a", Segment.SMB, MovementType.EXPANSION, 1_000, JAN.plusSeconds(240)));
            h.processElement(movement("c", Segment.SMB, MovementType.CHURN, -4_000, FEB.plusSeconds(60)));
            assertThat(h.getOutput()).isEmpty();
            assertThat(((PeriodDeltaOperator) h.getOperator()).held()).isEqualTo(5); // ALL and SMB in two months, ENTERPRISE in one

            h.processWatermark(FEB.plusSeconds(60).toEpochMilli());
            List<Object> out = new ArrayList<>(h.getOutput());
            assertThat(out).hasSize(6);
            assertThat(out.get(5)).isEqualTo(new Watermark(FEB.plusSeconds(60).toEpochMilli()));
            PeriodDelta allJan = delta(out, PortfolioMetricsFunction.ALL, JAN);
            assertThat(allJan.flows.newMrr).isEqualTo(60_000);
            assertThat(allJan.flows.expansion).isEqualTo(3_000);
            assertThat(allJan.flows.accountsGained).isEqualTo(2);
            assertThat(allJan.movements).isEqualTo(4);
            assertThat(allJan.expandedAccounts).containsExactly("a"); // twice, counted once
            assertThat(allJan.newestAt).isEqualTo(JAN.plusSeconds(240).toEpochMilli());
            assertThat(delta(out, "SMB", JAN).flows.newMrr).isEqualTo(10_000);
            assertThat(delta(out, "ENTERPRISE", JAN).movements).isEqualTo(1);
            assertThat(delta(out, "SMB", FEB).flows.churn).isEqualTo(4_000);
            assertThat(delta(out, "SMB", FEB).flows.accountsLost).isEqualTo(1);
            assertThat(((PeriodDeltaOperator) h.getOperator()).held()).isZero();
        }
    }

    @Test
    void nothingIsHeldAcrossABarrierOrPastTheEndOfTheInput() throws Exception {
        try (var h = harness()) {
            h.processElement(movement("a", Segment.SMB, MovementType.NEW, 10_000, JAN.plusSeconds(60)));
            h.prepareSnapshotPreBarrier(1);
            assertThat(h.extractOutputValues()).hasSize(2);
            h.processElement(movement("b", Segment.SMB, MovementType.NEW, 20_000, JAN.plusSeconds(120)));
            h.endInput();
            h.getOperator().finish(); // as the task does after the end of the input
            assertThat(h.extractOutputValues()).hasSize(4);
            assertThat(((PeriodDeltaOperator) h.getOperator()).held()).isZero();
        }
    }

    /**
     * A month of random movements of three segments with watermarks between them, through the
     * portfolio metrics one by one (as each movement used to arrive) and summed: the same records.
     */
    @Test
    void oneByOneOrSummedThePortfolioMetricsAreTheSame() throws Exception {
        Random r = new Random(38);
        List<Object> input = new ArrayList<>();
        long t = JAN.toEpochMilli();
        Segment[] segments = Segment.values();
        for (int i = 0; i < 3_000; i++) {
            t += r.nextInt(3_600_000);
            MovementType type = MovementType.values()[r.nextInt(MovementType.values().length)];
            long amount = 1_000 + r.nextInt(50_000);
            input.add(movement("acct-" + r.nextInt(300), segments[r.nextInt(segments.length)], type,
                    type == MovementType.CHURN || type == MovementType.CONTRACTION ? -amount : amount, Instant.ofEpochMilli(t)));
            if (r.nextInt(20) == 0) {
                input.add(new Watermark(t - r.nextInt(1_000)));
            }
        }
        input.add(new Watermark(Long.MAX_VALUE)); // the end of the input

        List<PortfolioMetrics> oneByOne = metrics(input, false);
        List<PortfolioMetrics> summed = metrics(input, true);
        assertThat(oneByOne).hasSizeGreaterThan(8);
        assertThat(summed).containsExactlyInAnyOrderElementsOf(oneByOne);
    }

    /** The input (movements and watermarks) through the portfolio metrics, summed first or one movement at a time. */
    private static List<PortfolioMetrics> metrics(List<Object> input, boolean summed) throws Exception {
        try (var local = harness(); var metrics = new KeyedOneInputStreamOperatorTestHarness<String, PeriodDelta, PortfolioMetrics>(
                new KeyedProcessOperator<>(new PortfolioMetricsFunction(UsagePeriod.CALENDAR_MONTH, "USD")), d -> d.segment, Types.STRING)) {
            metrics.open();
            for (Object o : input) {
                feed(local, o);
                if (!summed && o instanceof StreamRecord<?>) {
                    local.prepareSnapshotPreBarrier(0); // lets go of each movement at once
                }
                for (Object e : local.getOutput()) {
                    feed(metrics, e);
                }
                local.getOutput().clear();
            }
            return metrics.extractOutputValues();
        }
    }

    /** A record or a watermark, as it came out of one operator, into the next. */
    @SuppressWarnings("unchecked")
    private static <T> void feed(OneInputStreamOperatorTestHarness<T, ?> h, Object element) throws Exception {
        if (element instanceof Watermark w) {
            h.processWatermark(w);
        } else {
            h.processElement((StreamRecord<T>) element);
        }
    }

    private static PeriodDelta delta(List<Object> out, String segment, Instant period) {
        return out.stream().filter(o -> o instanceof StreamRecord<?>).map(o -> (PeriodDelta) ((StreamRecord<?>) o).getValue())
                .filter(d -> d.segment.equals(segment) && d.periodStart == period.toEpochMilli()).findFirst().orElseThrow();
    }

    private static OneInputStreamOperatorTestHarness<MrrMovement, PeriodDelta> harness() throws Exception {
        var h = new OneInputStreamOperatorTestHarness<>(new PeriodDeltaOperator(UsagePeriod.CALENDAR_MONTH),
                new PlannedAvroSerializer<>(MrrMovement.class));
        h.open();
        return h;
    }

    private static StreamRecord<MrrMovement> movement(String account, Segment segment, MovementType type, long delta, Instant at) {
        return new StreamRecord<>(MrrMovement.newBuilder().setMovementId(account + at + type).setAccountId(account).setOccurredAt(at)
                .setType(type).setBeforeMinor(0).setAfterMinor(delta).setDeltaMinor(delta).setReportingCurrency("USD")
                .setSegment(segment).setSubscriptionId(null).setCause("test").setCauseEventId("e").build(), at.toEpochMilli());
    }
}
