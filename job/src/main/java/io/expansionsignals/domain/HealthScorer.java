package io.expansionsignals.domain;

import io.expansionsignals.schema.HealthBand;
import io.expansionsignals.schema.HealthReason;
import io.expansionsignals.schema.UsageKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Health score 0-100: the weighted mean sum(w_i x_i) / sum(w_i) over the components that have
 * data. A component without data is left out, not counted as 0. Each reason is a component's
 * pull away from the neutral 50: w_i (x_i - 50) / sum(w), so the reasons explain the score.
 */
public final class HealthScorer {
    private static final long DAY = UsagePeriod.DAY_MILLIS;
    private final EngineSettings settings;

    public HealthScorer(EngineSettings settings) {
        this.settings = settings;
    }

    public HealthAssessment assess(AccountState a, long now) {
        Map<String, Double> components = components(a, now);
        double weighted = 0;
        double totalWeight = 0;
        for (Map.Entry<String, Double> c : components.entrySet()) {
            double w = settings.weights.weight(c.getKey());
            weighted += w * c.getValue();
            totalWeight += w;
        }
        if (totalWeight == 0) {
            return new HealthAssessment(null, HealthBand.UNKNOWN, components, List.of(), null);
        }
        double score = round1(weighted / totalWeight);
        List<HealthReason> reasons = new ArrayList<>();
        for (Map.Entry<String, Double> c : components.entrySet()) {
            double w = settings.weights.weight(c.getKey());
            if (w > 0) {
                reasons.add(new HealthReason(c.getKey(), c.getValue(), round1(w * (c.getValue() - 50) / totalWeight)));
            }
        }
        reasons.sort(Comparator.comparingDouble((HealthReason r) -> -Math.abs(r.getImpact()))
                .thenComparing(HealthReason::getComponent));
        List<HealthReason> top = List.copyOf(reasons.subList(0, Math.min(settings.topReasons, reasons.size())));
        return new HealthAssessment(score, band(score), components, top, trend(a, score, now));
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

    /** Every component that has data, each 0-100, by name. */
    Map<String, Double> components(AccountState a, long now) {
        Map<String, Double> c = new TreeMap<>();
        utilisation(a, now).ifPresent(v -> c.put(HealthWeights.USAGE_UTILISATION, v));
        usageTrend(a, now).ifPresent(v -> c.put(HealthWeights.USAGE_TREND, v));
        int seats = a.purchasedSeats();
        if (seats > 0 && a.activeUsers >= 0) {
            c.put(HealthWeights.SEAT_ACTIVATION, round1(clamp(100.0 * a.activeUsers / seats)));
        }
        long adopted = a.featureLastUsed.values().stream().filter(t -> now - t <= 30 * DAY).count();
        if (!a.featureLastUsed.isEmpty()) {
            c.put(HealthWeights.FEATURE_ADOPTION, round1(clamp(100.0 * adopted / settings.adoptionTarget)));
        }
        if (a.sentiment != null) {
            c.put(HealthWeights.SUPPORT_SENTIMENT, round1(clamp((a.sentiment + 1) * 50)));
        }
        if (a.npsScore >= 0) {
            c.put(HealthWeights.NPS, a.npsScore * 10.0);
        }
        if (a.paymentSeen) {
            double payment = a.openPaymentFailures > 0 ? Math.max(0, 40 - 20.0 * (a.openPaymentFailures - 1))
                    : (a.lastPaymentRecoveredAt > 0 && now - a.lastPaymentRecoveredAt <= 30 * DAY ? 70 : 100);
            c.put(HealthWeights.PAYMENT_HEALTH, payment);
        }
        if (a.firstStartAt > 0 && now >= a.firstStartAt) {
            // A new customer is neutral (50), not a risk; a year or more of tenure is 100.
            c.put(HealthWeights.TENURE, round1(clamp(50 + 50.0 * (now - a.firstStartAt) / (365 * DAY))));
        }
        return c;
    }

    /**
     * Utilisation as a health signal. A DELTA metric restarts from zero every period, so its raw
     * value would make every account look idle on the 1st of the month: it counts at its run rate
     * (usage / elapsed share of the period), or last period's total if that was higher.
     */
    private java.util.OptionalDouble utilisation(AccountState a, long now) {
        double sum = 0;
        int n = 0;
        for (Map.Entry<String, MetricState> e : a.metrics.entrySet()) {
            long limit = Limits.of(a, e.getKey(), settings.catalog);
            if (limit <= 0) {
                continue;
            }
            MetricState m = e.getValue();
            double level = m.usage;
            if (m.kind == UsageKind.DELTA) {
                long length = settings.usagePeriod.endOf(m.periodStart) - m.periodStart;
                double elapsed = Math.max(0.1, Math.min(1.0, (double) (now - m.periodStart) / length));
                level = Math.max(m.usage / elapsed, m.previousPeriodUsage);
            }
            sum += Math.min(1.0, level / limit);
            n++;
        }
        return n == 0 ? java.util.OptionalDouble.empty() : java.util.OptionalDouble.of(round1(100 * sum / n));
    }

    /** 50 = flat; +50 for doubling (or more), 0 for halving (or less), averaged over metrics. */
    private java.util.OptionalDouble usageTrend(AccountState a, long now) {
        double sum = 0;
        int n = 0;
        for (MetricState m : a.metrics.values()) {
            double ratio;
            if (m.kind == UsageKind.DELTA) {
                if (m.previousPeriodUsage <= 0) {
                    continue;
                }
                long start = m.periodStart;
                long length = settings.usagePeriod.endOf(start) - start;
                double elapsed = Math.max(0.1, Math.min(1.0, (double) (now - start) / length));
                ratio = (m.usage / elapsed) / m.previousPeriodUsage;
            } else {
                int k = m.sampleValues.size();
                if (k < 2 || m.sampleValues.get(0) <= 0 || m.sampleTimes.get(k - 1) - m.sampleTimes.get(0) < DAY) {
                    continue;
                }
                ratio = (double) m.sampleValues.get(k - 1) / m.sampleValues.get(0);
            }
            sum += clamp(50 + 50 * (ratio - 1));
            n++;
        }
        return n == 0 ? java.util.OptionalDouble.empty() : java.util.OptionalDouble.of(round1(sum / n));
    }

    /** Score now minus the score of 30 days ago (or of the oldest day kept, if younger). */
    private static Double trend(AccountState a, double score, long now) {
        long today = Math.floorDiv(now, DAY);
        Long base = null;
        for (Long day : a.dailyScores.keySet()) {
            if (day < today && day >= today - 30 && (base == null || day < base)) {
                base = day;
            }
        }
        return base == null ? null : round1(score - a.dailyScores.get(base));
    }

    /** Records today's score and forgets days older than the 30-day window. */
    public static void remember(AccountState a, double score, long now) {
        long today = Math.floorDiv(now, DAY);
        Long newest = a.dailyScores.keySet().stream().max(Long::compare).orElse(Long.MIN_VALUE);
        if (today < newest) {
            return; // a late event does not rewrite history
        }
        a.dailyScores.put(today, score);
        a.dailyScores.keySet().removeIf(d -> d < today - 31);
    }

    /** Highest score of the last 30 days (today included), or null. */
    public static Double recentHigh(AccountState a, long now) {
        long today = Math.floorDiv(now, DAY);
        Double high = null;
        for (Map.Entry<Long, Double> e : a.dailyScores.entrySet()) {
            if (e.getKey() >= today - 30 && (high == null || e.getValue() > high)) {
                high = e.getValue();
            }
        }
        return high;
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(100, v));
    }

    static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
