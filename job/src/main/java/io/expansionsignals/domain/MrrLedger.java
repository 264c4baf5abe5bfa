package io.expansionsignals.domain;

import io.expansionsignals.schema.MovementType;
import io.expansionsignals.schema.MrrMovement;
import io.expansionsignals.schema.SubscriptionEvent;
import io.expansionsignals.schema.SubscriptionEventType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Applies subscription events to an account and classifies every change of its MRR as SPEC §1
 * defines: NEW, EXPANSION, CONTRACTION, CHURN (only when no active subscription is left) and
 * REACTIVATION. A scheduled cancellation moves MRR when it takes effect, not when requested.
 */
public final class MrrLedger {
    private final EngineSettings settings;

    public MrrLedger(EngineSettings settings) {
        this.settings = settings;
    }

    /**
     * True if the event is an older snapshot of a subscription than one already applied
     * (producers and partitions reorder): applying it would roll the subscription back.
     */
    public boolean isSuperseded(AccountState account, SubscriptionEvent e) {
        SubscriptionState sub = account.subscriptions.get(e.getSubscriptionId());
        if (sub == null) {
            return false;
        }
        boolean snapshot = switch (e.getType()) {
            case CREATED, PLAN_CHANGED, QUANTITY_CHANGED -> true;
            default -> false;
        };
        return snapshot && e.getOccurredAt().toEpochMilli() < sub.lastChangeAt;
    }

    public List<MrrMovement> apply(AccountState account, SubscriptionEvent e) {
        long at = e.getOccurredAt().toEpochMilli();
        List<MrrMovement> movements = new ArrayList<>(applyDueCancellations(account, at));
        SubscriptionFacts.changed(account);
        SubscriptionState sub = account.subscriptions.computeIfAbsent(e.getSubscriptionId(), id -> {
            SubscriptionState s = new SubscriptionState();
            s.subscriptionId = id;
            return s;
        });
        account.segment = e.getSegment();
        copySnapshot(e, sub);
        long effectiveAt = at;
        switch (e.getType()) {
            case CREATED -> sub.active = true;
            case ADDON_ADDED -> sub.addOns.put(SharedNames.of(e.getAddonId()), nullToZero(e.getAddonAmountMinor()));
            case ADDON_REMOVED -> sub.addOns.remove(e.getAddonId());
            case CANCELLATION_SCHEDULED -> {
                long cancelAt = e.getEffectiveAt() == null ? at : e.getEffectiveAt().toEpochMilli();
                if (cancelAt <= at) {
                    sub.active = false;
                    sub.cancelAt = 0;
                } else {
                    sub.cancelAt = cancelAt;
                    sub.cancelEventId = e.getEventId();
                }
            }
            case CANCELED -> {
                sub.active = false;
                sub.cancelAt = 0;
                effectiveAt = e.getEffectiveAt() == null ? at : Math.max(at, e.getEffectiveAt().toEpochMilli());
            }
            case REACTIVATED -> {
                sub.active = true;
                sub.cancelAt = 0;
            }
            default -> { /* PLAN_CHANGED, QUANTITY_CHANGED: the snapshot copy is the change */ }
        }
        sub.lastChangeAt = Math.max(sub.lastChangeAt, at);
        if (sub.active) {
            long start = sub.startDate > 0 ? sub.startDate : at;
            account.firstStartAt = account.firstStartAt == 0 ? start : Math.min(account.firstStartAt, start);
        }
        revalue(sub);
        recordMovement(account, effectiveAt, e.getType().name(), e.getEventId(), sub.subscriptionId)
                .ifPresent(movements::add);
        return movements;
    }

    /** Applies every scheduled cancellation whose effective time is at or before {@code upTo}. */
    public List<MrrMovement> applyDueCancellations(AccountState account, long upTo) {
        List<SubscriptionState> due = new ArrayList<>();
        for (SubscriptionState s : account.subscriptions.values()) {
            if (s.active && s.cancelAt > 0 && s.cancelAt <= upTo) {
                due.add(s);
            }
        }
        if (due.isEmpty()) {
            return List.of();
        }
        SubscriptionFacts.changed(account);
        due.sort(Comparator.comparingLong((SubscriptionState s) -> s.cancelAt).thenComparing(s -> s.subscriptionId));
        List<MrrMovement> movements = new ArrayList<>();
        for (SubscriptionState s : due) {
            long at = s.cancelAt;
            s.active = false;
            s.cancelAt = 0;
            revalue(s);
            recordMovement(account, at, SubscriptionEventType.CANCELED.name(), s.cancelEventId, s.subscriptionId)
                    .ifPresent(movements::add);
        }
        return movements;
    }

    /** Earliest pending cancellation, or 0: the operator sets an event-time timer for it. */
    public static long nextCancellation(AccountState account) {
        long next = 0;
        for (SubscriptionState s : account.subscriptions.values()) {
            if (s.active && s.cancelAt > 0 && (next == 0 || s.cancelAt < next)) {
                next = s.cancelAt;
            }
        }
        return next;
    }

    private void revalue(SubscriptionState sub) {
        sub.mrrReportingMinor = sub.active
                ? settings.fx.toReporting(MrrNormaliser.monthly(sub.recurringAmountMinor(), sub.billingInterval), sub.currency)
                : 0;
    }

    private java.util.Optional<MrrMovement> recordMovement(
            AccountState account, long at, String cause, String causeEventId, String subscriptionId) {
        long before = account.mrrMinor;
        long after = 0;
        for (SubscriptionState s : account.subscriptions.values()) {
            after += s.mrrReportingMinor;
        }
        account.mrrMinor = after;
        if (before == after) {
            return java.util.Optional.empty();
        }
        MovementType type = classify(before, after, account.everActive);
        if (after > 0) {
            account.everActive = true;
        }
        return java.util.Optional.of(MrrMovement.newBuilder()
                .setMovementId(SignalIds.of("movement", account.accountId, causeEventId, subscriptionId, at, type))
                .setAccountId(account.accountId)
                .setOccurredAt(Instant.ofEpochMilli(at))
                .setType(type)
                .setBeforeMinor(before)
                .setAfterMinor(after)
                .setDeltaMinor(after - before)
                .setReportingCurrency(settings.fx.reportingCurrency())
                .setSegment(account.segment)
                .setSubscriptionId(subscriptionId)
                .setCause(cause)
                .setCauseEventId(causeEventId == null ? "" : causeEventId)
                .build());
    }

    /** SPEC §1 movement rules, on the account's MRR before and after one change. */
    public static MovementType classify(long before, long after, boolean everActive) {
        if (before == 0) {
            return everActive ? MovementType.REACTIVATION : MovementType.NEW;
        }
        if (after == 0) {
            return MovementType.CHURN;
        }
        return after > before ? MovementType.EXPANSION : MovementType.CONTRACTION;
    }

    private static void copySnapshot(SubscriptionEvent e, SubscriptionState sub) {
        sub.planId = SharedNames.of(e.getPlanId());
        sub.billingInterval = e.getBillingInterval();
        sub.amountMinor = e.getAmountMinor();
        sub.currency = SharedNames.of(e.getCurrency());
        sub.quantity = e.getQuantity();
        if (e.getStartDate() != null) {
            sub.startDate = e.getStartDate().toEpochMilli();
        }
        if (e.getRenewalDate() != null) {
            sub.renewalDate = e.getRenewalDate().toEpochMilli();
        }
        if (!e.getLimits().isEmpty()) {
            sub.limits.clear();
            for (Map.Entry<String, Long> l : e.getLimits().entrySet()) {
                sub.limits.put(SharedNames.of(l.getKey()), l.getValue() == null ? SubscriptionState.UNLIMITED : l.getValue());
            }
        }
    }

    private static long nullToZero(Long v) {
        return v == null ? 0 : v;
    }
}
