package io.expansionsignals.domain;

import io.expansionsignals.schema.BillingInterval;

/** Monthly recurring revenue of a charge billed at a given interval, in the same minor units. */
public final class MrrNormaliser {
    private MrrNormaliser() {}

    /** monthly = amount, quarterly = amount / 3, yearly = amount / 12, rounded half-up to a minor unit. */
    public static long monthly(long amountMinor, BillingInterval interval) {
        int months = months(interval);
        return Math.floorDiv(amountMinor * 2 + months, 2L * months);
    }

    /** The months one billing interval spans. */
    public static int months(BillingInterval interval) {
        return switch (interval) {
            case MONTHLY -> 1;
            case QUARTERLY -> 3;
            case YEARLY -> 12;
        };
    }
}
