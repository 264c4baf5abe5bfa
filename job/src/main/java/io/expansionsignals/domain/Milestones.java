package io.expansionsignals.domain;

import io.expansionsignals.schema.BillingInterval;
import java.util.ArrayList;
import java.util.List;

/**
 * Tenure milestones (day 30 check-in, day 90 review, day 180 business review, counted from the
 * account's first subscription start) and renewal preparation 90 days before each renewal of a
 * yearly term by default (see {@link #prepares}).
 */
public final class Milestones {
    public static final String DAY_30 = "DAY_30_CHECK_IN";
    public static final String DAY_90 = "DAY_90_REVIEW";
    public static final String DAY_180 = "DAY_180_BUSINESS_REVIEW";
    public static final String RENEWAL_PREP = "RENEWAL_PREP";
    /** The tenure milestones in the order they fall due. */
    private static final String[] TENURE = {DAY_30, DAY_90, DAY_180};

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

    /**
     * Every milestone of the account not yet fired, with its due time.
     *
     * @param renewalPrepFrom the shortest billing interval whose renewals are prepared ({@link #prepares})
     */
    public static List<Due> pending(AccountState a, BillingInterval renewalPrepFrom) {
        List<Due> due = new ArrayList<>();
        if (!a.hasActiveSubscription()) {
            return due;
        }
        if (a.firstStartAt > 0) {
            for (String name : TENURE) {
                if (!fired(a, name, null, a.firstStartAt)) {
                    long at = tenureDue(a, name);
                    due.add(new Due(name, at, name + "|" + a.firstStartAt, at + TENURE_GRACE));
                }
            }
        }
        for (SubscriptionState s : a.subscriptions.values()) {
            if (renews(s, renewalPrepFrom) && !fired(a, RENEWAL_PREP, s.subscriptionId, s.renewalDate)) {
                due.add(new Due(RENEWAL_PREP, s.renewalDate - RENEWAL_LEAD,
                        RENEWAL_PREP + "|" + s.subscriptionId + "@" + s.renewalDate, s.renewalDate));
            }
        }
        return due;
    }

    /**
     * The earliest due time of {@link #pending}, Long.MAX_VALUE if nothing is pending, without
     * building the list or a key: it runs after every subscription event and timer.
     */
    public static long nextDue(AccountState a, BillingInterval renewalPrepFrom) {
        if (!a.hasActiveSubscription()) {
            return Long.MAX_VALUE;
        }
        long next = Long.MAX_VALUE;
        if (a.firstStartAt > 0) {
            for (String name : TENURE) { // in due order: the first not fired is the earliest
                if (!fired(a, name, null, a.firstStartAt)) {
                    next = tenureDue(a, name);
                    break;
                }
            }
        }
        for (SubscriptionState s : a.subscriptions.values()) {
            long at = s.renewalDate - RENEWAL_LEAD;
            if (renews(s, renewalPrepFrom) && at < next && !fired(a, RENEWAL_PREP, s.subscriptionId, s.renewalDate)) {
                next = at;
            }
        }
        return next;
    }

    private static long tenureDue(AccountState a, String name) {
        return a.firstStartAt + dayOf(name) * DAY;
    }

    private static boolean renews(SubscriptionState s, BillingInterval renewalPrepFrom) {
        return s.active && s.renewalDate > 0 && s.cancelAt == 0 && prepares(s.billingInterval, renewalPrepFrom);
    }

    /**
     * Whether renewals billed at {@code interval} get a renewal preparation: intervals at least as
     * long as {@code from} do (setting {@code milestones.renewal-prep.min-interval}). Its default,
     * YEARLY, prepares only terms longer than the lead: 90 days before the renewal of a monthly or
     * quarterly term lies at or before the term's start, so the signal fired the moment each term
     * began (for a monthly plan every month, for most of a customer base at once) and asked a
     * customer-success team to prepare a renewal that auto-renews within weeks.
     */
    static boolean prepares(BillingInterval interval, BillingInterval from) {
        return interval != null && MrrNormaliser.months(interval) >= MrrNormaliser.months(from);
    }

    /** Whether the key {@code name|number} or {@code name|subscription@number} has fired. */
    private static boolean fired(AccountState a, String name, String subscription, long number) {
        for (String key : a.firedMilestones) {
            if (isKey(key, name, subscription, number)) {
                return true;
            }
        }
        return false;
    }

    /** {@code key.equals(name + "|" + (subscription == null ? "" : subscription + "@") + number)}, without building it. */
    static boolean isKey(String key, String name, String subscription, long number) {
        int from = name.length() + 1;
        if (key.length() <= from || !key.startsWith(name) || key.charAt(from - 1) != '|') {
            return false;
        }
        if (subscription != null) {
            int at = from + subscription.length();
            if (key.length() <= at || !key.startsWith(subscription, from) || key.charAt(at) != '@') {
                return false;
            }
            from = at + 1;
        }
        return isDecimal(key, from, number);
    }

    /** Whether {@code key} from {@code from} on is exactly {@code Long.toString(number)}. */
    private static boolean isDecimal(String key, int from, long number) {
        int i = key.length();
        long rest = number;
        do {
            if (--i < from || key.charAt(i) != (char) ('0' + Math.abs(rest % 10))) {
                return false;
            }
            rest /= 10;
        } while (rest != 0);
        if (number < 0 && (--i < from || key.charAt(i) != '-')) {
            return false;
        }
        return i == from;
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

    private static int dayOf(String name) {
        return switch (name) {
            case DAY_30 -> 30;
            case DAY_90 -> 90;
            default -> 180;
        };
    }
}
