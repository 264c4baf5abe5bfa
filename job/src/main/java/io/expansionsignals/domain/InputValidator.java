package io.expansionsignals.domain;

import io.expansionsignals.schema.DeadLetterReason;
import io.expansionsignals.schema.EngagementEvent;
import io.expansionsignals.schema.SubscriptionEvent;
import io.expansionsignals.schema.UsageEvent;
import java.time.Instant;
import java.util.Optional;

/**
 * Field-level checks SPEC §6 asks for: missing ids, negative money or seats, impossible values
 * and event times far in the future (run where the record is decoded), and unknown currency or
 * plan ({@link #checkCatalog}, run against the catalog in force). Either way a rejected record
 * goes to dead letters with its original bytes.
 */
public final class InputValidator {
    /** Nothing this product reads happened before 2000; earlier stamps are unit mistakes. */
    private static final long EARLIEST = Instant.parse("2000-01-01T00:00:00Z").toEpochMilli();
    /**
     * Above these a value is a producer bug, not a customer: 10^13 minor units per billing interval
     * (a hundred billion dollars), ten million seats, 10^15 units of usage in one event. They also
     * keep MRR and usage arithmetic (FX conversion, sums over a period) far from long overflow,
     * which would otherwise throw in the engine on every replay of the record.
     */
    static final long MAX_AMOUNT_MINOR = 10_000_000_000_000L;
    static final int MAX_SEATS = 10_000_000;
    static final long MAX_USAGE_QUANTITY = 1_000_000_000_000_000L;
    private final EngineSettings settings;

    public InputValidator(EngineSettings settings) {
        this.settings = settings;
    }

    public Optional<Violation> check(SubscriptionEvent e, long now) {
        Optional<Violation> common = common(e.getEventId(), e.getAccountId(), e.getOccurredAt(), now);
        if (common.isPresent()) {
            return common;
        }
        if (blank(e.getSubscriptionId())) {
            return missing("subscriptionId");
        }
        if (blank(e.getPlanId())) {
            return missing("planId");
        }
        if (e.getAmountMinor() < 0) {
            return invalid("amountMinor must not be negative, was " + e.getAmountMinor());
        }
        if (e.getAmountMinor() > MAX_AMOUNT_MINOR) {
            return invalid("amountMinor " + e.getAmountMinor() + " is above the plausible maximum " + MAX_AMOUNT_MINOR);
        }
        if (e.getQuantity() < 0) {
            return invalid("quantity (seats) must not be negative, was " + e.getQuantity());
        }
        if (e.getQuantity() > MAX_SEATS) {
            return invalid("quantity (seats) " + e.getQuantity() + " is above the plausible maximum " + MAX_SEATS);
        }
        switch (e.getType()) {
            case ADDON_ADDED -> {
                if (blank(e.getAddonId())) {
                    return missing("addonId (required for ADDON_ADDED)");
                }
                if (e.getAddonAmountMinor() == null || e.getAddonAmountMinor() < 0
                        || e.getAddonAmountMinor() > MAX_AMOUNT_MINOR) {
                    return invalid("addonAmountMinor must be present, >= 0 and <= " + MAX_AMOUNT_MINOR + " for ADDON_ADDED, was " + e.getAddonAmountMinor());
                }
            }
            case ADDON_REMOVED -> {
                if (blank(e.getAddonId())) {
                    return missing("addonId (required for ADDON_REMOVED)");
                }
            }
            default -> { }
        }
        for (var limit : e.getLimits().entrySet()) {
            if (limit.getValue() != null && limit.getValue() <= 0) {
                return invalid("limits['" + limit.getKey() + "'] must be positive or null (unlimited), was " + limit.getValue());
            }
        }
        return Optional.empty();
    }

    /**
     * The checks that depend on the plan catalog and FX table in force. They run in the keyed
     * operator, which sees live catalog updates, not at decoding time.
     */
    public Optional<Violation> checkCatalog(SubscriptionEvent e) {
        if (!settings.fx.knows(e.getCurrency())) {
            return Optional.of(new Violation(DeadLetterReason.UNKNOWN_CURRENCY,
                    "currency '" + e.getCurrency() + "' has no FX rate to " + settings.fx.reportingCurrency()
                            + " in catalog version " + settings.catalog.version()));
        }
        if (!settings.catalog.knowsPlan(e.getPlanId())) {
            return Optional.of(new Violation(DeadLetterReason.UNKNOWN_PLAN,
                    "planId '" + e.getPlanId() + "' is not in plan catalog version " + settings.catalog.version()));
        }
        return Optional.empty();
    }

    public Optional<Violation> check(UsageEvent e, long now) {
        Optional<Violation> common = common(e.getEventId(), e.getAccountId(), e.getOccurredAt(), now);
        if (common.isPresent()) {
            return common;
        }
        if (blank(e.getMetric())) {
            return missing("metric");
        }
        if (e.getQuantity() < 0) {
            return invalid("quantity must not be negative, was " + e.getQuantity());
        }
        if (e.getQuantity() > MAX_USAGE_QUANTITY) {
            return invalid("quantity " + e.getQuantity() + " is above the plausible maximum " + MAX_USAGE_QUANTITY);
        }
        return Optional.empty();
    }

    public Optional<Violation> check(EngagementEvent e, long now) {
        Optional<Violation> common = common(e.getEventId(), e.getAccountId(), e.getOccurredAt(), now);
        if (common.isPresent()) {
            return common;
        }
        return switch (e.getType()) {
            case ACTIVE_USERS -> e.getActiveUsers() == null ? missing("activeUsers (required for ACTIVE_USERS)")
                    : e.getActiveUsers() < 0 ? invalid("activeUsers must not be negative, was " + e.getActiveUsers())
                    : Optional.empty();
            case FEATURE_USED, FEATURE_GATE_HIT -> blank(e.getFeature())
                    ? missing("feature (required for " + e.getType() + ")") : Optional.empty();
            case SUPPORT_TICKET -> e.getSentiment() == null ? missing("sentiment (required for SUPPORT_TICKET)")
                    : !(e.getSentiment() >= -1 && e.getSentiment() <= 1)
                    ? invalid("sentiment must be within [-1, 1], was " + e.getSentiment()) : Optional.empty();
            case NPS_RESPONSE -> e.getNpsScore() == null ? missing("npsScore (required for NPS_RESPONSE)")
                    : e.getNpsScore() < 0 || e.getNpsScore() > 10
                    ? invalid("npsScore must be within [0, 10], was " + e.getNpsScore()) : Optional.empty();
            default -> Optional.empty();
        };
    }

    private Optional<Violation> common(String eventId, String accountId, Instant occurredAt, long now) {
        if (blank(eventId)) {
            return missing("eventId");
        }
        if (blank(accountId)) {
            return missing("accountId");
        }
        long t = occurredAt.toEpochMilli();
        if (t < EARLIEST) {
            return invalid("occurredAt " + occurredAt + " is before 2000-01-01");
        }
        if (t > now + settings.maxFutureSkewMillis) {
            return Optional.of(new Violation(DeadLetterReason.FUTURE_TIMESTAMP, "occurredAt " + occurredAt
                    + " is more than " + settings.maxFutureSkewMillis / 1000 + " s ahead of " + Instant.ofEpochMilli(now)));
        }
        return Optional.empty();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static Optional<Violation> missing(String field) {
        return Optional.of(new Violation(DeadLetterReason.MISSING_FIELD, field + " is missing or blank"));
    }

    private static Optional<Violation> invalid(String detail) {
        return Optional.of(new Violation(DeadLetterReason.INVALID_VALUE, detail));
    }
}
