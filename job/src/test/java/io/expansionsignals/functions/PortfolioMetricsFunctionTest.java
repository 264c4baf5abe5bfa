package io.expansionsignals.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.expansionsignals.domain.AccountEngine;
import io.expansionsignals.domain.AccountState;
import io.expansionsignals.domain.EngineSettings;
import io.expansionsignals.domain.MrrLedger;
import io.expansionsignals.domain.PeriodDelta;
import io.expansionsignals.domain.UsagePeriod;
import io.expansionsignals.schema.MovementType;
import io.expansionsignals.schema.MrrMovement;
import io.expansionsignals.schema.PortfolioMetrics;
import io.expansionsignals.schema.Segment;
import io.expansionsignals.schema.SubscriptionEventType;
import io.expansionsignals.testutils.Catalogs;
import io.expansionsignals.testutils.Events;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Period metrics from MRR movements, every figure checked against numbers worked out by hand. */
class PortfolioMetricsFunctionTest {
    private static final Instant JAN = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant FEB = Instant.parse("2026-02-01T00:00:00Z");
    private static final Instant MAR = Instant.parse("2026-03-01T00:00:00Z");
    private static final Instant APR = Instant.parse("2026-04-01T00:00:00Z");
    private KeyedOneInputStreamOperatorTestHarness<String, PeriodDelta, PortfolioMetrics> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new PortfolioMetricsFunction(UsagePeriod.CALENDAR_MONTH, "USD")),
                d -> d.segment, Types.STRING);
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    /** One movement on its own, under ALL and under its segment, as the job sends a watermark's sums. */
    private void send(MrrMovement m) throws Exception {
        long at = m.getOccurredAt().toEpochMilli();
        long p = UsagePeriod.CALENDAR_MONTH.startOf(at);
        for (String segment : new String[] {PortfolioMetricsFunction.ALL, m.getSegment() == null ? null : m.getSegment().name()}) {
            if (segment != null) {
                PeriodDelta d = PeriodDelta.of(segment, p).add(m.getType(), m.getDeltaMinor(), m.getAccountId(), at).seal();
                harness.processElement(new StreamRecord<>(d, at));
            }
        }
    }

    private static MrrMovement movement(String account, Segment segment, MovementType type, long before, long after, Instant at) {
        return MrrMovement.newBuilder().setMovementId(account + at + type).setAccountId(account).setOccurredAt(at).setType(type)
                .setBeforeMinor(before).setAfterMinor(after).setDeltaMinor(after - before).setReportingCurrency("USD")
                .setSegment(segment).setSubscriptionId(null).setCause("test").setCauseEventId("e").build();
    }

    private void closeThrough(Instant periodEnd) throws Exception {
        harness.processWatermark(periodEnd.toEpochMilli() - 1);
    }

    private List<PortfolioMetrics> emitted(String segment) {
        return harness.extractOutputValues().stream().filter(m -> m.getSegment().equals(segment)).toList();
    }

    @Test
    void theLiteratureExampleFromRealMovementsGivesNrr102() throws Exception {
        // January: three new accounts, 100,000 in all
        send(movement("a", Segment.SMB, MovementType.NEW, 0, 50_000, JAN.plusSeconds(3_600)));
        send(movement("b", Segment.SMB, MovementType.NEW, 0, 42_000, JAN.plusSeconds(7_200)));
        send(movement("c", Segment.SMB, MovementType.NEW, 0, 8_000, JAN.plusSeconds(9_000)));
        closeThrough(FEB);
        // February: +15,000 expansion, -5,000 contraction, -8,000 churn
        send(movement("a", Segment.SMB, MovementType.EXPANSION, 50_000, 65_000, FEB.plusSeconds(86_400)));
        send(movement("b", Segment.SMB, MovementType.CONTRACTION, 42_000, 37_000, FEB.plusSeconds(2 * 86_400)));
        send(movement("c", Segment.SMB, MovementType.CHURN, 8_000, 0, FEB.plusSeconds(3 * 86_400)));
        closeThrough(MAR);

        List<PortfolioMetrics> all = emitted("ALL");
        assertThat(all).hasSize(2);
        PortfolioMetrics jan = all.get(0);
        PortfolioMetrics feb = all.get(1);
        assertThat(jan.getEndMrrMinor()).isEqualTo(100_000).isEqualTo(feb.getStartMrrMinor());
        assertThat(feb.getNrr()).isEqualTo(102.0); // (100,000 + 15,000 - 5,000 - 8,000) / 100,000
        assertThat(feb.getGrr()).isEqualTo(87.0); // (100,000 - 5,000 - 8,000) / 100,000
        assertThat(feb.getExpansionRate()).isEqualTo(15.0);
        assertThat(feb.getNetMrrChurnRate()).isEqualTo(-2.0); // (8,000 + 5,000 - 15,000) / 100,000
        assertThat(feb.getNegativeChurn()).isTrue();
        assertThat(feb.getQuickRatio()).isEqualTo(1.15); // 15,000 / 13,000
        assertThat(feb.getActiveAtStart()).isEqualTo(3);
        assertThat(feb.getExpandedAccounts()).isEqualTo(1);
        assertThat(feb.getCustomerExpansionRate()).isEqualTo(33.33); // 1 of 3
        assertThat(feb.getEndMrrMinor()).isEqualTo(102_000);
        assertThat(emitted("SMB")).extracting(PortfolioMetrics::getNrr).containsExactly(null, 102.0);
    }

    @Test
    void aMultiMonthMultiSegmentLedgerWithAReactivationAndAForeignCurrencyAccount() throws Exception {
        // Movements come from the real ledger: "eu" pays EUR 1,200 a year (EUR 100/mo = USD 110 at 1.10).
        EngineSettings settings = EngineSettings.builder().fx(Catalogs.fx()).catalog(Catalogs.standard()).build();
        MrrLedger ledger = new MrrLedger(settings);
        AccountState smb = AccountEngine.newAccount("smb");
        AccountState eu = AccountEngine.newAccount("eu");
        List<MrrMovement> ms = new java.util.ArrayList<>();
        ms.addAll(ledger.apply(smb, Events.subscription("smb", SubscriptionEventType.CREATED, JAN.plusSeconds(86_400)).build())); // NEW 10,000
        ms.addAll(ledger.apply(eu, Events.subscription("eu", SubscriptionEventType.CREATED, JAN.plusSeconds(2 * 86_400))
                .setSegment(Segment.ENTERPRISE).setCurrency("EUR").setAmountMinor(120_000)
                .setBillingInterval(io.expansionsignals.schema.BillingInterval.YEARLY).build())); // NEW 11,000
        ms.addAll(ledger.apply(smb, Events.subscription("smb", SubscriptionEventType.CANCELED, FEB.plusSeconds(86_400)).build())); // CHURN 10,000
        ms.addAll(ledger.apply(eu, Events.subscription("eu", SubscriptionEventType.QUANTITY_CHANGED, FEB.plusSeconds(2 * 86_400))
                .setSegment(Segment.ENTERPRISE).setCurrency("EUR").setAmountMinor(240_000)
                .setBillingInterval(io.expansionsignals.schema.BillingInterval.YEARLY).build())); // EXPANSION 11,000
        ms.addAll(ledger.apply(smb, Events.subscription("smb", SubscriptionEventType.REACTIVATED, MAR.plusSeconds(86_400))
                .setAmountMinor(12_000).build())); // REACTIVATION 12,000
        assertThat(ms).extracting(MrrMovement::getType).containsExactly(MovementType.NEW, MovementType.NEW, MovementType.CHURN,
                MovementType.EXPANSION, MovementType.REACTIVATION);
        for (MrrMovement m : ms) {
            if (!m.getOccurredAt().isBefore(FEB)) {
                closeThrough(FEB);
            }
            if (!m.getOccurredAt().isBefore(MAR)) {
                closeThrough(MAR);
            }
            send(m);
        }
        closeThrough(APR);

        List<PortfolioMetrics> all = emitted("ALL");
        assertThat(all).extracting(PortfolioMetrics::getPeriodStart).containsExactly(JAN, FEB, MAR);
        // Jan: start 0, new 21,000, end 21,000
        assertThat(all.get(0).getNewMrrMinor()).isEqualTo(21_000);
        assertThat(all.get(0).getEndMrrMinor()).isEqualTo(21_000);
        // Feb: start 21,000, churn 10,000, expansion 11,000, end 22,000; NRR (21,000 + 11,000 - 10,000) / 21,000 = 104.76 %
        assertThat(all.get(1).getStartMrrMinor()).isEqualTo(21_000);
        assertThat(all.get(1).getEndMrrMinor()).isEqualTo(22_000);
        assertThat(all.get(1).getNrr()).isEqualTo(104.76);
        assertThat(all.get(1).getGrr()).isEqualTo(52.38); // 11,000 / 21,000
        assertThat(all.get(1).getActiveAtStart()).isEqualTo(2);
        // Mar: start 22,000, reactivation 12,000, end 34,000; 1 active at start (smb churned in Feb)
        assertThat(all.get(2).getStartMrrMinor()).isEqualTo(22_000);
        assertThat(all.get(2).getReactivationMinor()).isEqualTo(12_000);
        assertThat(all.get(2).getEndMrrMinor()).isEqualTo(34_000);
        assertThat(all.get(2).getActiveAtStart()).isEqualTo(1);
        assertThat(all.get(2).getNetMrrChurnRate()).isEqualTo(-54.55); // (0 + 0 - 0 - 12,000) / 22,000
        // per segment: the enterprise (EUR) account alone
        assertThat(emitted("ENTERPRISE")).extracting(PortfolioMetrics::getEndMrrMinor).containsExactly(11_000L, 22_000L, 22_000L);
        assertThat(emitted("SMB")).extracting(PortfolioMetrics::getEndMrrMinor).containsExactly(10_000L, 0L, 12_000L);
        // end of each period is the start of the next, in every segment
        for (String segment : List.of("ALL", "SMB", "ENTERPRISE")) {
            List<PortfolioMetrics> s = emitted(segment);
            for (int i = 1; i < s.size(); i++) {
                assertThat(s.get(i).getStartMrrMinor()).isEqualTo(s.get(i - 1).getEndMrrMinor());
            }
        }
    }

    @Test
    void aLateMovementCorrectsItsClosedPeriodAndTheLaterOnesWithAHigherRevision() throws Exception {
        send(movement("a", Segment.SMB, MovementType.NEW, 0, 10_000, JAN.plusSeconds(3_600)));
        closeThrough(FEB);
        send(movement("a", Segment.SMB, MovementType.EXPANSION, 10_000, 12_000, FEB.plusSeconds(3_600)));
        closeThrough(MAR);
        // a January movement arrives after both months closed
        send(movement("b", Segment.SMB, MovementType.NEW, 0, 5_000, JAN.plusSeconds(7_200)));

        List<PortfolioMetrics> all = emitted("ALL");
        assertThat(all).extracting(m -> m.getPeriodStart() + " r" + m.getRevision() + " " + m.getStartMrrMinor() + "->"
                + m.getEndMrrMinor()).containsExactly(
                JAN + " r0 0->10000", FEB + " r0 10000->12000",
                JAN + " r1 0->15000", FEB + " r1 15000->17000");
        assertThat(all.get(2).getLateMovements()).isEqualTo(1);
        assertThat(all.get(3).getActiveAtStart()).isEqualTo(2);
    }

    @Test
    void aQuietMonthWithRevenueStillGetsItsRecord() throws Exception {
        send(movement("a", Segment.SMB, MovementType.NEW, 0, 10_000, JAN.plusSeconds(3_600)));
        closeThrough(MAR);
        assertThat(emitted("ALL")).extracting(m -> m.getPeriodStart() + " " + m.getStartMrrMinor() + "->" + m.getEndMrrMinor())
                .containsExactly(JAN + " 0->10000", FEB + " 10000->10000");
        assertThat(emitted("ALL").get(1).getNrr()).isEqualTo(100.0);
    }
}
