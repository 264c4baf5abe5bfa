package io.expansionsignals.domain;

import java.io.Serializable;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Plans and add-ons by id, with a version so a newer catalog can replace an older one. */
public final class PlanCatalog implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long version;
    private final Map<String, Plan> plans = new LinkedHashMap<>();
    private final Map<String, AddOn> addOns = new LinkedHashMap<>();

    public PlanCatalog(long version, Collection<Plan> plans, Collection<AddOn> addOns) {
        this.version = version;
        plans.forEach(p -> this.plans.put(p.planId(), p));
        addOns.forEach(a -> this.addOns.put(a.addonId(), a));
        this.plans.values().forEach(p -> {
            if (p.nextPlanId() != null && !this.plans.containsKey(p.nextPlanId())) {
                throw new IllegalArgumentException(
                        "plan " + p.planId() + " names next plan " + p.nextPlanId() + " which is not in the catalog");
            }
        });
    }

    public static PlanCatalog empty() {
        return new PlanCatalog(0, java.util.List.of(), java.util.List.of());
    }

    public long version() {
        return version;
    }

    public Optional<Plan> plan(String planId) {
        return Optional.ofNullable(planId == null ? null : plans.get(planId));
    }

    /** As {@link #plan}, without the Optional: for the per-event paths. */
    public Plan planOrNull(String planId) {
        return planId == null ? null : plans.get(planId);
    }

    public boolean knowsPlan(String planId) {
        return planId != null && plans.containsKey(planId);
    }

    public Optional<Plan> nextTier(String planId) {
        return plan(planId).map(Plan::nextPlanId).flatMap(this::plan);
    }

    public Optional<AddOn> addOn(String addonId) {
        return Optional.ofNullable(addonId == null ? null : addOns.get(addonId));
    }

    public Collection<Plan> plans() {
        return plans.values();
    }

    public Collection<AddOn> addOns() {
        return addOns.values();
    }
}
