package io.expansionsignals.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.expansionsignals.schema.MovementType;
import org.junit.jupiter.api.Test;

class PeriodTotalsTest {
    @Test
    void literatureWorkedExampleGivesNrr102() {
        // start 100,000 + expansion 15,000 - contraction 5,000 - churn 8,000 -> 102 %
        PeriodTotals t = PeriodTotals.of(100_000, 0, 15_000, 5_000, 8_000, 0);
        assertThat(t.nrr()).isEqualTo(102.0);
        assertThat(t.grr()).isEqualTo(87.0);
        assertThat(t.expansionRate()).isEqualTo(15.0);
        assertThat(t.netMrrChurnRate()).isEqualTo(-2.0);
        assertThat(t.negativeChurn()).isTrue();
        assertThat(t.quickRatio()).isEqualTo(1.15); // 15,000 / 13,000
        assertThat(t.endMrr()).isEqualTo(102_000);
    }

    @Test
    void movementsLandInTheirBucketsAsPositiveAmounts() {
        PeriodTotals t = PeriodTotals.of(50_000, 0, 0, 0, 0, 0);
        t.add(MovementType.NEW, 10_000);
        t.add(MovementType.EXPANSION, 2_000);
        t.add(MovementType.CONTRACTION, -1_000);
        t.add(MovementType.CHURN, -4_000);
        t.add(MovementType.REACTIVATION, 3_000);
        assertThat(t.endMrr()).isEqualTo(50_000 + 10_000 + 2_000 - 1_000 - 4_000 + 3_000);
        assertThat(t.netMrrChurnRate()).isEqualTo(0.0); // (4,000 + 1,000 - 2,000 - 3,000) / 50,000
        assertThat(t.negativeChurn()).isFalse();
        assertThat(t.quickRatio()).isEqualTo(3.0); // 15,000 / 5,000
    }

    @Test
    void ratiosOverAnEmptyStartAreUndefinedNotZero() {
        PeriodTotals t = PeriodTotals.of(0, 10_000, 0, 0, 0, 0);
        assertThat(t.nrr()).isNull();
        assertThat(t.grr()).isNull();
        assertThat(t.quickRatio()).isNull(); // no losses
        assertThat(t.customerExpansionRate()).isNull();
    }

    @Test
    void customerExpansionRateCountsAccounts() {
        PeriodTotals t = PeriodTotals.of(1, 0, 0, 0, 0, 0);
        t.activeAtStart = 40;
        t.expandedAccounts = 3;
        assertThat(t.customerExpansionRate()).isEqualTo(7.5);
    }
}
