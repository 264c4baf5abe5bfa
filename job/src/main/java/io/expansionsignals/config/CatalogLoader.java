package io.expansionsignals.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.expansionsignals.domain.AddOn;
import io.expansionsignals.domain.FxRates;
import io.expansionsignals.domain.Plan;
import io.expansionsignals.domain.PlanCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads the versioned plan catalog and FX table (JSON, see {@code catalog/default-catalog.json}).
 * Any error names the file and the entry at fault.
 */
public final class CatalogLoader {
    public static final String BUNDLED = "/catalog/default-catalog.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The catalog with its FX rates. */
    public record Loaded(PlanCatalog catalog, FxRates fx) {}

    private CatalogLoader() {}

    public static Loaded load(String file) {
        try (InputStream in = file == null ? CatalogLoader.class.getResourceAsStream(BUNDLED) : Files.newInputStream(Path.of(file))) {
            if (in == null) {
                throw new ConfigurationException("catalog.file: bundled catalog " + BUNDLED + " is missing from the jar");
            }
            return parse(JSON.readTree(in), file == null ? BUNDLED : file);
        } catch (IOException e) {
            throw new ConfigurationException("catalog.file: cannot read '" + file + "': " + e.getMessage(), e);
        }
    }

    public static Loaded parse(JsonNode root, String source) {
        try {
            long version = required(root, "version").asLong();
            String reporting = required(root, "reportingCurrency").asText();
            Map<String, BigDecimal> rates = new HashMap<>();
            Iterator<Map.Entry<String, JsonNode>> fx = root.path("fxRates").fields();
            while (fx.hasNext()) {
                Map.Entry<String, JsonNode> r = fx.next();
                rates.put(r.getKey(), new BigDecimal(r.getValue().asText()));
            }
            List<Plan> plans = new ArrayList<>();
            for (JsonNode p : root.path("plans")) {
                Map<String, Long> limits = new HashMap<>();
                Iterator<Map.Entry<String, JsonNode>> it = p.path("limits").fields();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> l = it.next();
                    limits.put(l.getKey(), l.getValue().isNull() ? null : l.getValue().asLong());
                }
                List<Double> levels = new ArrayList<>();
                p.path("levels").forEach(l -> levels.add(l.asDouble()));
                plans.add(new Plan(required(p, "planId").asText(), p.path("tier").asInt(0),
                        required(p, "monthlyPriceMinor").asLong(), p.path("currency").asText(reporting), limits,
                        p.hasNonNull("nextPlanId") ? p.get("nextPlanId").asText() : null, levels));
            }
            List<AddOn> addOns = new ArrayList<>();
            for (JsonNode a : root.path("addOns")) {
                addOns.add(new AddOn(required(a, "addonId").asText(), required(a, "monthlyPriceMinor").asLong(),
                        a.path("currency").asText(reporting)));
            }
            FxRates fxRates = new FxRates(reporting, rates);
            for (Plan p : plans) {
                if (!fxRates.knows(p.currency())) {
                    throw new IllegalArgumentException("plan " + p.planId() + " is priced in " + p.currency() + " which has no FX rate");
                }
            }
            return new Loaded(new PlanCatalog(version, plans, addOns), fxRates);
        } catch (RuntimeException e) {
            throw new ConfigurationException("catalog.file: invalid catalog in " + source + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("'" + field + "' is required");
        }
        return v;
    }
}
