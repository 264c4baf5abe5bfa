package io.expansionsignals.workload;

import io.expansionsignals.domain.AddOn;
import io.expansionsignals.domain.Plan;
import io.expansionsignals.schema.EngagementEvent;
import io.expansionsignals.schema.EngagementType;
import io.expansionsignals.schema.SubscriptionEvent;
import io.expansionsignals.schema.SubscriptionEventType;
import io.expansionsignals.schema.UsageEvent;
import io.expansionsignals.schema.UsageKind;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;

/**
 * Builds valid input events from an account's current state. Event ids come from the seed and a
 * counter (never from the clock), so a rerun with the same seed produces the same ids.
 */
final class EventFactory {
    private final String idPrefix;
    private final List<Plan> plans;
    private final Pricing pricing;
    private long counter;

    EventFactory(long seed, List<Plan> plansByTier, Pricing pricing) {
        this.idPrefix = "w" + Long.toHexString(seed) + "-";
        this.plans = plansByTier;
        this.pricing = pricing;
    }

    String nextId() {
        // Zero-padded so ids sort in creation order; String.format is too slow at this volume.
        String n = Long.toString(++counter);
        return idPrefix + "0000000000".substring(Math.min(10, n.length())) + n;
    }

    Plan plan(SimAccount a) {
        return plans.get(a.planIndex);
    }

    /** The subscription's full state after the change, as the schema asks. */
    SubscriptionEvent.Builder subscription(SimAccount a, SubscriptionEventType type, Instant at) {
        Plan plan = plan(a);
        return SubscriptionEvent.newBuilder()
                .setEventId(nextId())
                .setAccountId(a.accountId)
                .setOccurredAt(at)
                .setType(type)
                .setSubscriptionId(a.subscriptionId())
                .setPlanId(plan.planId())
                .setSegment(a.segment)
                .setBillingInterval(a.interval)
                .setAmountMinor(pricing.planAmount(plan, a.seats, a.interval, a.currency))
                .setCurrency(a.currency)
                .setQuantity(a.seats)
                .setStartDate(a.startDate)
                .setRenewalDate(a.renewalDate)
                // Empty: limits come from the plan catalog, so a live catalog change applies.
                .setLimits(new HashMap<>());
    }

    SubscriptionEvent addOn(SimAccount a, SubscriptionEventType type, AddOn addOn, Instant at) {
        var b = subscription(a, type, at).setAddonId(addOn.addonId());
        if (type == SubscriptionEventType.ADDON_ADDED) {
            b.setAddonAmountMinor(pricing.addOnAmount(addOn, a.interval, a.currency));
        }
        return b.build();
    }

    UsageEvent usage(SimAccount a, String metric, long quantity, UsageKind kind, Instant at) {
        return UsageEvent.newBuilder()
                .setEventId(nextId())
                .setAccountId(a.accountId)
                .setOccurredAt(at)
                .setMetric(metric)
                .setQuantity(quantity)
                .setKind(kind)
                .build();
    }

    EngagementEvent.Builder engagement(SimAccount a, EngagementType type, Instant at) {
        return EngagementEvent.newBuilder()
                .setEventId(nextId())
                .setAccountId(a.accountId)
                .setOccurredAt(at)
                .setType(type);
    }
}
