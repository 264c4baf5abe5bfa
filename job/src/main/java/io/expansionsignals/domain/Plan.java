package io.expansionsignals.domain;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * One plan of the catalog. {@code limits} maps a usage metric to its limit per usage period; a
 * metric mapped to {@code null} is unlimited and a metric that is absent has no limit either.
 * {@code nextPlanId} is the tier a customer outgrowing this plan is offered. {@code levels}
 * overrides the threshold levels for this plan (empty = segment or global default).
 */
public record Plan(
        String planId,
        int tier,
        long monthlyPriceMinor,
        String currency,
        Map<String, Long> limits,
        String nextPlanId,
        List<Double> levels)
        implements Serializable {

    public Plan {
        if (planId == null || planId.isBlank()) {
            throw new IllegalArgumentException("plan id must not be blank");
        }
        if (monthlyPriceMinor < 0) {
            throw new IllegalArgumentException("plan " + planId + ": monthly price must not be negative");
        }
        limits = limits == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.HashMap<>(limits));
        levels = levels == null ? List.of() : List.copyOf(levels);
    }
}
