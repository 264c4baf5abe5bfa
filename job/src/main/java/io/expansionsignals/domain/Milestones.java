package io.expansionsignals.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * Tenure milestones (day 30 check-in, day 90 review, day 180 business review, counted from the
 * account's first subscription start) and renewal preparation 90 days before each renewal.
 */
public final class Milestones {
    public static final String DAY_30 = "DAY_30_CHECK_IN";
    public static final String DAY_90 = "DAY_90_REVIEW";
    public static final String DAY_180 = "DAY_180_BUSINESS_REVIEW";
    public static final String RENEWAL_PREP = "RENEWAL_PREP";

    private static final long DAY = UsagePeriod.DAY_MILLIS;
    public static final long RENEWAL_LEAD = 90 * DAY;
    /**
     * A tenure milestone found more than this long after its due time (an account that joined
     * the system already 400 days old) is marked done without a signal: a day-30 check-in on
     * day 400 helps nobody. Renewal preparation stays useful until the renewal itself.
     */
    public static final long TENURE_GRACE = 7 * DAY;

    /** A milestone due at a time; {@code key} identifies it so it fires once. */
    public record Due(String name, long at, String key, long expiresAt) {
        public boolean stale(long now) {
            return now > expiresAt;
        }
    }

    private Milestones() {}

    /** Every milestone of the account not yet fired, with its due time. */
    public static List<Due> pending(AccountState a) {
        List<Due> due = new ArrayList<>();
        if (!a.hasActiveSubscription()) {
            return due;
        }
        if (a.firstStartAt > 0) {
            for (String name : List.of(DAY_30, DAY_90, DAY_180)) {
                long at = a.firstStartAt + dayOf(name) * DAY;
                add(a, due, name, at, String.valueOf(a.firstStartAt), at + TENURE_GRACE);
            }
        }
        for (SubscriptionState s : a.subscriptions.values()) {
            if (s.active && s.renewalDate > 0 && s.cancelAt == 0) {
                add(a, due, RENEWAL_PREP, s.renewalDate - RENEWAL_LEAD, s.subscriptionId + "@" + s.renewalDate,
                        s.renewalDate);
            }
        }
        return due;
    }

    /**
     * Renewal preparation is keyed by subscription and renewal date, so a monthly subscription
     * added a key every month, forever. A key whose renewal date is no longer the subscription's
     * and already lies before the account's newest event is dropped: {@link #pending} only looks at
     * each subscription's current renewal date, so the key is never consulted again unless a later
     * event moves the renewal date back to that very instant.
     */
    public static void forgetPassedRenewals(AccountState a) {
        String prefix = RENEWAL_PREP + "|";
        a.firedMilestones.removeIf(key -> {
            int at = key.lastIndexOf('@');
            if (!key.startsWith(prefix) || at < 0) {
                return false;
            }
            long renewal;
            try {
                renewal = Long.parseLong(key.substring(at + 1));
            } catch (NumberFormatException e) {
                return false;
            }
            SubscriptionState s = a.subscriptions.get(key.substring(prefix.length(), at));
            return renewal < a.lastEventAt && (s == null || s.renewalDate != renewal);
        });
    }

    private static void add(AccountState a, List<Due> due, String name, long at, String anchor, long expiresAt) {
        String key = name + "|" + anchor;
        if (!a.firedMilestones.contains(key)) {
            due.add(new Due(name, at, key, expiresAt));
        }
    }

    private static int dayOf(String name) {
        return switch (name) {
            case DAY_30 -> 30;
            case DAY_90 -> 90;
            default -> 180;
        };
    }
}
