package io.expansionsignals.domain;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/** Weight of each health component in the weighted mean; components with weight 0 are ignored. */
public final class HealthWeights implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String USAGE_UTILISATION = "usage_utilisation";
    public static final String USAGE_TREND = "usage_trend";
    public static final String SEAT_ACTIVATION = "seat_activation";
    public static final String FEATURE_ADOPTION = "feature_adoption";
    public static final String SUPPORT_SENTIMENT = "support_sentiment";
    public static final String NPS = "nps";
    public static final String PAYMENT_HEALTH = "payment_health";
    public static final String TENURE = "tenure";

    private final Map<String, Double> weights;

    public HealthWeights(Map<String, Double> weights) {
        this.weights = new TreeMap<>(weights);
        this.weights.forEach((name, w) -> {
            if (!defaults().weights.containsKey(name)) {
                throw new IllegalArgumentException("unknown health component '" + name + "'");
            }
            if (w == null || w < 0 || w.isNaN()) {
                throw new IllegalArgumentException("weight of health component '" + name + "' must be >= 0");
            }
        });
    }

    private HealthWeights(boolean unchecked, Map<String, Double> weights) {
        this.weights = new TreeMap<>(weights);
    }

    public static HealthWeights defaults() {
        return new HealthWeights(true, Map.of(
                USAGE_UTILISATION, 20.0,
                USAGE_TREND, 10.0,
                SEAT_ACTIVATION, 15.0,
                FEATURE_ADOPTION, 15.0,
                SUPPORT_SENTIMENT, 10.0,
                NPS, 10.0,
                PAYMENT_HEALTH, 15.0,
                TENURE, 5.0));
    }

    /** Defaults overridden by the given entries. */
    public static HealthWeights withOverrides(Map<String, Double> overrides) {
        Map<String, Double> merged = new TreeMap<>(defaults().weights);
        merged.putAll(overrides);
        return new HealthWeights(merged);
    }

    public double weight(String component) {
        return weights.getOrDefault(component, 0.0);
    }

    public Map<String, Double> asMap() {
        return Map.copyOf(weights);
    }
}
