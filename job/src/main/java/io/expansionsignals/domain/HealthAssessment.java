package io.expansionsignals.domain;

import io.expansionsignals.schema.HealthBand;
import io.expansionsignals.schema.HealthReason;
import io.expansionsignals.schema.HealthSummary;
import java.util.List;
import java.util.Map;

/** A health score with its band, components, 30-day trend and the reasons behind it. */
public record HealthAssessment(
        Double score, HealthBand band, Map<String, Double> components, List<HealthReason> reasons, Double trend30d) {

    public HealthSummary toSummary() {
        return HealthSummary.newBuilder()
                .setScore(score)
                .setBand(band)
                .setTrend30d(trend30d)
                .setTopReasons(reasons)
                .build();
    }
}
