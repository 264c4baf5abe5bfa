package io.expansionsignals.workload;

import io.expansionsignals.domain.AddOn;
import io.expansionsignals.domain.FxRates;
import io.expansionsignals.domain.Plan;
import io.expansionsignals.schema.BillingInterval;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;

/**
 * Prices in integer minor units. A plan's catalog price covers a small team; each further seat
 * costs a twentieth of it, so seat growth moves MRR. Prices are set in the reporting currency and
 * converted with the catalog's FX rates, so the job's MRR in USD comes out near the list price.
 */
final class Pricing {
    /** Seats included in the plan price. */
    static final int INCLUDED_SEATS = 5;
    private final FxRates fx;

    Pricing(FxRates fx) {
        this.fx = fx;
    }

    /** Base-plan charge for one billing interval, all seats included, in {@code currency}. */
    long planAmount(Plan plan, int seats, BillingInterval interval, String currency) {
        long monthly = plan.monthlyPriceMinor() + Math.max(0, seats - INCLUDED_SEATS) * (plan.monthlyPriceMinor() / 20);
        return convert(Math.multiplyExact(monthly, months(interval)), plan.currency(), currency);
    }

    long addOnAmount(AddOn addOn, BillingInterval interval, String currency) {
        return convert(Math.multiplyExact(addOn.monthlyPriceMinor(), months(interval)), addOn.currency(), currency);
    }

    static int months(BillingInterval interval) {
        return switch (interval) {
            case MONTHLY -> 1;
            case QUARTERLY -> 3;
            case YEARLY -> 12;
        };
    }

    /** Inverse of the job's FX conversion, rounded to a whole minor unit of the target. */
    private long convert(long amountMinor, String from, String to) {
        if (from.equals(to)) {
            return amountMinor;
        }
        long reporting = fx.toReporting(amountMinor, from);
        BigDecimal rate = fx.rates().get(to);
        int shift = digits(to) - digits(fx.reportingCurrency());
        return BigDecimal.valueOf(reporting)
                .divide(rate, 6, RoundingMode.HALF_EVEN)
                .movePointRight(shift)
                .setScale(0, RoundingMode.HALF_EVEN)
                .longValueExact();
    }

    private static int digits(String code) {
        return Math.max(0, Currency.getInstance(code).getDefaultFractionDigits());
    }
}
