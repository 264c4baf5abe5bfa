package io.expansionsignals.reliability;

import static io.expansionsignals.testutils.Events.subscription;

import io.expansionsignals.schema.BillingInterval;
import io.expansionsignals.schema.Segment;
import io.expansionsignals.schema.SubscriptionEvent;
import io.expansionsignals.schema.SubscriptionEventType;
import io.expansionsignals.schema.UsageEvent;
import io.expansionsignals.testutils.Events;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The fault tests' input: accounts on the starter plan (100,000 api_calls a month) created first,
 * then rounds of usage deltas, every account's events in order on one partition (keyed by account),
 * all at event times of a few days ago so nothing is in the future and no timer is due.
 */
final class Workload {
    static final Instant BASE = Events.recentMidnight();
    static final long DELTA = 9_000;

    private Workload() {}

    static List<String> accounts(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add("acct-" + i);
        }
        return out;
    }

    static List<SubscriptionEvent> created(List<String> accounts) {
        return created(accounts, BASE);
    }

    /** Every account created on the starter plan at {@code at}. */
    static List<SubscriptionEvent> created(List<String> accounts, Instant at) {
        return accounts.stream().map(a -> subscription(a, SubscriptionEventType.CREATED, at)
                .setSegment(a.hashCode() % 2 == 0 ? Segment.SMB : Segment.ENTERPRISE).setPlanId("starter")
                .setAmountMinor(4_900).setBillingInterval(BillingInterval.MONTHLY).setStartDate(at).build()).toList();
    }

    /** Rounds {@code from} (inclusive) to {@code to} (exclusive) of one {@link #DELTA} per account, round-robin. */
    static List<UsageEvent> usage(List<String> accounts, int from, int to) {
        List<UsageEvent> out = new ArrayList<>();
        for (int round = from; round < to; round++) {
            for (String a : accounts) {
                out.add(Events.delta(a, "api_calls", DELTA, BASE.plus(1, ChronoUnit.HOURS).plus(round, ChronoUnit.MINUTES)));
            }
        }
        return out;
    }
}
