package io.expansionsignals.domain;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.Map;
import java.util.TreeMap;

/**
 * Converts amounts in minor units of one currency into minor units of the reporting currency.
 * Rates are "reporting units per one unit of the currency" (e.g. EUR -> 1.08 when reporting in
 * USD). Minor-unit digits come from ISO 4217, so JPY (0 digits) and USD (2 digits) convert correctly.
 */
public final class FxRates implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String reportingCurrency;
    private final Map<String, BigDecimal> rates;

    public FxRates(String reportingCurrency, Map<String, BigDecimal> rates) {
        this.reportingCurrency = requireIso(reportingCurrency);
        this.rates = new TreeMap<>(rates);
        this.rates.put(this.reportingCurrency, BigDecimal.ONE);
        this.rates.forEach((code, rate) -> {
            requireIso(code);
            if (rate.signum() <= 0) {
                throw new IllegalArgumentException("FX rate for " + code + " must be positive, was " + rate);
            }
        });
    }

    public static FxRates identity(String reportingCurrency) {
        return new FxRates(reportingCurrency, Map.of());
    }

    public String reportingCurrency() {
        return reportingCurrency;
    }

    public boolean knows(String currency) {
        return currency != null && rates.containsKey(currency);
    }

    public Map<String, BigDecimal> rates() {
        return Map.copyOf(rates);
    }

    /** Converts, rounding half-even to a whole minor unit of the reporting currency. */
    public long toReporting(long amountMinor, String currency) {
        BigDecimal rate = rates.get(currency);
        if (rate == null) {
            throw new IllegalArgumentException("No FX rate for currency " + currency);
        }
        int shift = digits(reportingCurrency) - digits(currency);
        return BigDecimal.valueOf(amountMinor)
                .multiply(rate)
                .movePointRight(shift)
                .setScale(0, RoundingMode.HALF_EVEN)
                .longValueExact();
    }

    private static int digits(String code) {
        return Math.max(0, Currency.getInstance(code).getDefaultFractionDigits());
    }

    private static String requireIso(String code) {
        try {
            Currency.getInstance(code);
            return code;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Not an ISO 4217 currency code: " + code);
        }
    }
}
