package io.expansionsignals.testutils;

import io.expansionsignals.domain.AddOn;
import io.expansionsignals.domain.FxRates;
import io.expansionsignals.domain.Plan;
import io.expansionsignals.domain.PlanCatalog;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A small plan catalog and FX table used across tests: starter -> growth -> scale. */
public final class Catalogs {
    private Catalogs() {}

    public static PlanCatalog standard() {
        Map<String, Long> scaleLimits = new HashMap<>();
        scaleLimits.put("api_calls", null); // unlimited
        scaleLimits.put("storage_gb", 5_000L);
        return new PlanCatalog(1, List.of(
                new Plan("starter", 1, 10_000, "USD", Map.of("api_calls", 10_000L, "storage_gb", 100L), "growth", List.of()),
                new Plan("growth", 2, 50_000, "USD", Map.of("api_calls", 100_000L, "storage_gb", 1_000L), "scale", List.of()),
                new Plan("scale", 3, 200_000, "USD", scaleLimits, null, List.of())),
                List.of(new AddOn("analytics", 20_000, "USD")));
    }

    public static FxRates fx() {
        return new FxRates("USD", Map.of("EUR", new BigDecimal("1.10"), "JPY", new BigDecimal("0.0070"),
                "GBP", new BigDecimal("1.25")));
    }
}
