package io.expansionsignals.domain;

import java.io.Serializable;

/** A product sold on top of a plan (cross-sell); a feature gate naming it suggests this add-on. */
public record AddOn(String addonId, long monthlyPriceMinor, String currency) implements Serializable {
    public AddOn {
        if (addonId == null || addonId.isBlank()) {
            throw new IllegalArgumentException("add-on id must not be blank");
        }
        if (monthlyPriceMinor < 0) {
            throw new IllegalArgumentException("add-on " + addonId + ": monthly price must not be negative");
        }
    }
}
