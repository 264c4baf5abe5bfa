package io.expansionsignals.workload;

import java.util.Map;

/** Names of the premium features behind each add-on or plan, for FEATURE_GATE_HIT events. */
final class GatedFeatures {
    private static final Map<String, String> BY_TIER = Map.of(
            "analytics", "advanced-analytics",
            "sso", "saml-login",
            "audit-log", "audit-export",
            "growth", "custom-roles",
            "business", "sandbox-environments",
            "enterprise", "dedicated-support");

    private GatedFeatures() {}

    /** The feature for a tier id; tiers of another catalog get a generic name. */
    static String featureFor(String tier) {
        return BY_TIER.getOrDefault(tier, tier + "-features");
    }
}
