package io.expansionsignals.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.expansionsignals.schema.BillingInterval;
import io.expansionsignals.testutils.Catalogs;
import org.junit.jupiter.api.Test;

class MoneyTest {
    @Test
    void monthlyIsTheAmountQuarterlyAThirdYearlyATwelfth() {
        assertThat(MrrNormaliser.monthly(12_000, BillingInterval.MONTHLY)).isEqualTo(12_000);
        assertThat(MrrNormaliser.monthly(30_000, BillingInterval.QUARTERLY)).isEqualTo(10_000);
        assertThat(MrrNormaliser.monthly(120_000, BillingInterval.YEARLY)).isEqualTo(10_000);
    }

    @Test
    void normalisationRoundsHalfUpToAWholeMinorUnit() {
        assertThat(MrrNormaliser.monthly(100_000, BillingInterval.QUARTERLY)).isEqualTo(33_333);
        assertThat(MrrNormaliser.monthly(100_001, BillingInterval.QUARTERLY)).isEqualTo(33_334); // 33,333.67
        assertThat(MrrNormaliser.monthly(18, BillingInterval.YEARLY)).isEqualTo(2); // 1.5 rounds up
    }

    @Test
    void convertsBetweenCurrenciesWithDifferentMinorUnits() {
        FxRates fx = Catalogs.fx();
        assertThat(fx.toReporting(10_000, "EUR")).isEqualTo(11_000); // EUR 100.00 -> USD 110.00
        assertThat(fx.toReporting(10_000, "JPY")).isEqualTo(7_000); // JPY 10,000 (no minor unit) -> USD 70.00
        assertThat(fx.toReporting(12_345, "USD")).isEqualTo(12_345);
    }

    @Test
    void unknownCurrencyIsRejectedByName() {
        assertThat(Catalogs.fx().knows("CHF")).isFalse();
        assertThatThrownBy(() -> Catalogs.fx().toReporting(1, "CHF")).hasMessageContaining("CHF");
        assertThatThrownBy(() -> new FxRates("XXQ", java.util.Map.of())).hasMessageContaining("XXQ");
    }
}
