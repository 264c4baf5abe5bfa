package io.expansionsignals.domain;

import io.expansionsignals.schema.HealthBand;
import io.expansionsignals.schema.HealthReason;
import io.expansionsignals.schema.HealthSummary;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A health score with its band, components, 30-day trend and the reasons behind it. The score
 * and band are computed at once (every event needs them for the risk rules); the components map,
 * the reasons and the trend only when an output carries them, which most events do not.
 */
public final class HealthAssessment {
    private final Double score;
    private final HealthBand band;
    /** Component values by {@link HealthScorer#COMPONENTS} index, NaN where a component has no data. */
    private final double[] values;
    private final double[] weights;
    private final double totalWeight;
    private final int topReasons;
    private final AccountState account;
    private final long now;
    private Map<String, Double> components;
    private List<HealthReason> reasons;
    private Double trend;
    private boolean trendKnown;

    HealthAssessment(Double score, HealthBand band, double[] values, double[] weights, double totalWeight, int topReasons,
            AccountState account, long now) {
        this.score = score;
        this.band = band;
        this.values = values;
        this.weights = weights;
        this.totalWeight = totalWeight;
        this.topReasons = topReasons;
        this.account = account;
        this.now = now;
    }

    public Double score() {
        return score;
    }

    public HealthBand band() {
        return band;
    }

    /** Every component that has data, each 0-100, by name in name order. */
    public Map<String, Double> components() {
        if (components == null) {
            Map<String, Double> c = new LinkedHashMap<>();
            for (int i = 0; i < values.length; i++) {
                if (!Double.isNaN(values[i])) {
                    c.put(HealthScorer.COMPONENTS.get(i), values[i]);
                }
            }
            components = Collections.unmodifiableMap(c);
        }
        return components;
    }

    /** The components pulling the score furthest from the neutral 50, largest first. */
    public List<HealthReason> reasons() {
        if (reasons == null) {
            if (score == null) {
                reasons = List.of();
            } else {
                List<HealthReason> all = new ArrayList<>();
                for (int i = 0; i < values.length; i++) {
                    if (!Double.isNaN(values[i]) && weights[i] > 0) {
                        all.add(new HealthReason(HealthScorer.COMPONENTS.get(i), values[i],
                                HealthScorer.round1(weights[i] * (values[i] - 50) / totalWeight)));
                    }
                }
                all.sort(Comparator.comparingDouble((HealthReason r) -> -Math.abs(r.getImpact()))
                        .thenComparing(HealthReason::getComponent));
                reasons = List.copyOf(all.subList(0, Math.min(topReasons, all.size())));
            }
        }
        return reasons;
    }

    /** Score now minus the score of 30 days ago (or of the oldest day kept, if younger); null without either. */
    public Double trend30d() {
        if (!trendKnown) {
            // Days before today only: remembering today's score afterwards does not change it.
            Double base = score == null ? null : ScoreHistory.baseline(account, now);
            trend = base == null ? null : HealthScorer.round1(score - base);
            trendKnown = true;
        }
        return trend;
    }

    public HealthSummary toSummary() {
        return new HealthSummary(score, band, trend30d(), reasons());
    }
}
