package io.expansionsignals.config;

import io.expansionsignals.domain.AddOn;
import io.expansionsignals.domain.FxRates;
import io.expansionsignals.domain.Plan;
import io.expansionsignals.domain.PlanCatalog;
import io.expansionsignals.schema.AddOnEntry;
import io.expansionsignals.schema.PlanCatalogUpdate;
import io.expansionsignals.schema.PlanEntry;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Converts between the plan-catalog topic's records and the domain catalog, validating on the way in. */
public final class CatalogRecords {
    private CatalogRecords() {}

    /** @throws IllegalArgumentException naming what is wrong, if the record is not a usable catalog */
    public static CatalogLoader.Loaded toDomain(PlanCatalogUpdate u) {
        Map<String, BigDecimal> rates = new HashMap<>();
        u.getFxRates().forEach((currency, rate) -> {
            try {
                rates.put(currency, new BigDecimal(rate));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("fxRates['" + currency + "'] is not a decimal: '" + rate + "'");
            }
        });
        FxRates fx = new FxRates(u.getReportingCurrency(), rates);
        List<Plan> plans = new ArrayList<>();
        for (PlanEntry p : u.getPlans()) {
            if (!fx.knows(p.getCurrency())) {
                throw new IllegalArgumentException("plan " + p.getPlanId() + " is priced in " + p.getCurrency()
                        + " which has no FX rate");
            }
            Map<String, Long> limits = new HashMap<>(p.getLimits());
            limits.forEach((metric, limit) -> {
                if (limit != null && limit <= 0) {
                    throw new IllegalArgumentException("plan " + p.getPlanId() + ": limit of " + metric + " must be positive or null");
                }
            });
            plans.add(new Plan(p.getPlanId(), p.getTier(), p.getMonthlyPriceMinor(), p.getCurrency(), limits,
                    p.getNextPlanId(), p.getLevels()));
        }
        List<AddOn> addOns = new ArrayList<>();
        for (AddOnEntry a : u.getAddOns()) {
            addOns.add(new AddOn(a.getAddonId(), a.getMonthlyPriceMinor(), a.getCurrency()));
        }
        if (plans.isEmpty()) {
            throw new IllegalArgumentException("a catalog must contain at least one plan");
        }
        return new CatalogLoader.Loaded(new PlanCatalog(u.getVersion(), plans, addOns), fx);
    }

    public static PlanCatalogUpdate toRecord(PlanCatalog catalog, FxRates fx) {
        Map<String, String> rates = new HashMap<>();
        fx.rates().forEach((c, r) -> rates.put(c, r.toPlainString()));
        List<PlanEntry> plans = new ArrayList<>();
        for (Plan p : catalog.plans()) {
            plans.add(PlanEntry.newBuilder().setPlanId(p.planId()).setTier(p.tier()).setMonthlyPriceMinor(p.monthlyPriceMinor())
                    .setCurrency(p.currency()).setLimits(new HashMap<>(p.limits())).setNextPlanId(p.nextPlanId())
                    .setLevels(new ArrayList<>(p.levels())).build());
        }
        List<AddOnEntry> addOns = new ArrayList<>();
        for (AddOn a : catalog.addOns()) {
            addOns.add(AddOnEntry.newBuilder().setAddonId(a.addonId()).setMonthlyPriceMinor(a.monthlyPriceMinor())
                    .setCurrency(a.currency()).build());
        }
        return PlanCatalogUpdate.newBuilder().setVersion(catalog.version()).setReportingCurrency(fx.reportingCurrency())
                .setFxRates(rates).setPlans(plans).setAddOns(addOns).build();
    }
}
