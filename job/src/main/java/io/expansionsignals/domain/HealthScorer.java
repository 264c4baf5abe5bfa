package io.expansionsignals.domain;

import io.expansionsignals.schema.HealthBand;
import io.expansionsignals.schema.UsageKind;
import java.util.List;

/**
 * Health score 0-100: the weighted mean sum(w_i x_i) / sum(w_i) over the components that have
 * data. A component without data is left out, not counted as 0. Each reason is a component's
 * pull away from the neutral 50: w_i (x_i - 50) / sum(w), so the reasons explain the score.
 */
public final class HealthScorer {
    private static final long DAY = UsagePeriod.DAY_MILLIS;
    /**
     * The least share of a period (a tenth: three days of a month) a pace is taken over, of usage
     * or of feature adoption: below it, a customer's first hours would decide the component.
     */
    static final double MIN_OBSERVED_SHARE = 0.1;
    /** The components in name order: the index of each in the values array. */
    static final List<String> COMPONENTS = List.of(HealthWeights.FEATURE_ADOPTION, HealthWeights.NPS,
            HealthWeights.PAYMENT_HEALTH, HealthWeights.SEAT_ACTIVATION, HealthWeights.SUPPORT_SENTIMENT,
            HealthWeights.TENURE, HealthWeights.USAGE_TREND, HealthWeights.USAGE_UTILISATION);
    private static final int FEATURE_ADOPTION = 0;
    private static final int NPS = 1;
    private static final int PAYMENT_HEALTH = 2;
    private static final int SEAT_ACTIVATION = 3;
    private static final int SUPPORT_SENTIMENT = 4;
    private static final int TENURE = 5;
    private static final int USAGE_TREND = 6;
    private static final int USAGE_UTILISATION = 7;

    private final EngineSettings settings;
    private final double[] weights;

    public HealthScorer(EngineSettings settings) {
        this.settings = settings;
        this.weights = new double[COMPONENTS.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = settings.weights.weight(COMPONENTS.get(i));
        }
    }

    public HealthAssessment assess(AccountState a, long now) {
        double[] values = components(a, now);
        double weighted = 0;
        double totalWeight = 0;
        for (int i = 0; i < values.length; i++) {
            if (!Double.isNaN(values[i])) {
                weighted += weights[i] * values[i];
                totalWeight += weights[i];
            }
        }
        Double score = totalWeight == 0 ? null : round1(weighted / totalWeight);
        return new HealthAssessment(score, band(score), values, weights, totalWeight, settings.topReasons, a, now);
    }

    public HealthBand band(Double score) {
        if (score == null) {
            return HealthBand.UNKNOWN;
        }
        if (score >= settings.healthyFrom) {
            return HealthBand.HEALTHY;
        }
        return score >= settings.neutralFrom ? HealthBand.NEUTRAL : HealthBand.AT_RISK;
    }

    /** Every component's value 0-100 by {@link #COMPONENTS} index; NaN for a component without data. */
    double[] components(AccountState a, long now) {
        double[] c = new double[COMPONENTS.size()];
        java.util.Arrays.fill(c, Double.NaN);
        SubscriptionFacts facts = SubscriptionFacts.of(a, settings);
        usage(a, facts, now, c);
        int seats = facts.seats;
        if (seats > 0 && a.activeUsers >= 0) {
            c[SEAT_ACTIVATION] = round1(clamp(100.0 * a.activeUsers / seats));
        }
        if (!a.featureLastUsed.isEmpty()) {
            c[FEATURE_ADOPTION] = round1(clamp(100.0 * FeatureAdoption.recentFeatures(a, now) / expectedFeatures(a, now)));
        }
        if (a.sentiment != null) {
            c[SUPPORT_SENTIMENT] = round1(clamp((a.sentiment + 1) * 50));
        }
        if (a.npsScore >= 0) {
            c[NPS] = a.npsScore * 10.0;
        }
        if (a.paymentSeen) {
            c[PAYMENT_HEALTH] = a.openPaymentFailures > 0 ? Math.max(0, 40 - 20.0 * (a.openPaymentFailures - 1))
                    : (a.lastPaymentRecoveredAt > 0 && now - a.lastPaymentRecoveredAt <= 30 * DAY ? 70 : 100);
        }
        if (a.firstStartAt > 0 && now >= a.firstStartAt) {
            // A new customer is neutral (50), not a risk; a year or more of tenure is 100.
            c[TENURE] = round1(clamp(50 + 50.0 * (now - a.firstStartAt) / (365 * DAY)));
        }
        return c;
    }

    /**
     * Utilisation and usage trend, in one pass over the metrics (this runs on every event).
     *
     * <p>Utilisation as a health signal: a DELTA metric restarts from zero every period, so its raw
     * value would make every account look idle on the 1st of the month: it counts at its pace,
     * the usage over the share of the period the account has been a customer in (a sign-up on the
     * 23rd has eight days of the month behind its usage, not 23), or at last period's pace if that
     * was higher. Until the account has been seen for {@link #MIN_OBSERVED_SHARE} of a period and
     * with no earlier period to go by, a DELTA metric has no utilisation yet: a pace taken from a
     * new customer's first hours would call nearly every new account idle, and at risk.
     *
     * <p>Trend: 50 = flat; +50 for doubling (or more), 0 for halving (or less), averaged over metrics.
     */
    private void usage(AccountState a, SubscriptionFacts facts, long now, double[] c) {
        double utilisation = 0;
        int limited = 0;
        double trend = 0;
        int trended = 0;
        MetricArrays metrics = MetricArrays.of(a);
        for (int i = 0; i < metrics.states.length; i++) {
            MetricState m = metrics.states[i];
            double level = m.usage;
            double ratio = Double.NaN;
            if (m.kind == UsageKind.DELTA) {
                long start = m.periodStart;
                double observed = observedShare(a, start, settings.usagePeriod.endOf(start), now);
                double previousPace = m.previousPeriodUsage <= 0 ? 0
                        : m.previousPeriodUsage / Math.max(MIN_OBSERVED_SHARE,
                                observedShare(a, settings.usagePeriod.startOf(start - 1), start, start));
                if (observed < MIN_OBSERVED_SHARE && previousPace == 0) {
                    continue; // too early in the account's first period to know its pace
                }
                double pace = m.usage / Math.max(MIN_OBSERVED_SHARE, observed);
                level = Math.max(pace, previousPace);
                if (previousPace > 0) {
                    ratio = pace / previousPace;
                }
            } else {
                ratio = GaugeSamples.trend(m);
            }
            long limit = facts.limit(a, metrics.names[i], m);
            if (limit > 0) {
                utilisation += Math.min(1.0, level / limit);
                limited++;
            }
            if (!Double.isNaN(ratio)) {
                trend += clamp(50 + 50 * (ratio - 1));
                trended++;
            }
        }
        if (limited > 0) {
            c[USAGE_UTILISATION] = round1(100 * utilisation / limited);
        }
        if (trended > 0) {
            c[USAGE_TREND] = round1(trend / trended);
        }
    }

    /**
     * The adoption target over the part of the 30-day window the account has been a customer in,
     * at least {@link #MIN_OBSERVED_SHARE} of it: breadth is counted over 30 days, and a customer
     * of two days has not had a month to try eight features (one tried read as 12.5 % adopted).
     */
    private double expectedFeatures(AccountState a, long now) {
        double share = observedShare(a, now - FeatureAdoption.WINDOW, now, now);
        return settings.adoptionTarget * Math.max(MIN_OBSERVED_SHARE, share);
    }

    /**
     * The share of the period [start, end) up to {@code now} in which the account has been a
     * customer (since its first subscription started), 0-1.
     */
    static double observedShare(AccountState a, long start, long end, long now) {
        long from = Math.max(start, a.firstStartAt);
        return Math.max(0, Math.min(1.0, (double) (Math.min(now, end) - from) / (end - start)));
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(100, v));
    }

    static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
