package io.expansionsignals.testutils;

import io.expansionsignals.schema.BillingInterval;
import io.expansionsignals.schema.EngagementEvent;
import io.expansionsignals.schema.EngagementType;
import io.expansionsignals.schema.Segment;
import io.expansionsignals.schema.SubscriptionEvent;
import io.expansionsignals.schema.SubscriptionEventType;
import io.expansionsignals.schema.UsageEvent;
import io.expansionsignals.schema.UsageKind;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Tiny factories for input events at fixed instants; each event gets a fresh id unless given one. */
public final class Events {
    public static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");
    private static final AtomicLong IDS = new AtomicLong();

    private Events() {}

    /**
     * Midnight (UTC) three days ago, the base of the Kafka tests' event times: in the past, so no
     * timer is due and nothing is in the future, and any offset under a day from it stays in one
     * calendar month, the usage period. (A base truncated to the hour crossed a month end between
     * two of a test's events when CI ran at 19:20 on the 3rd, and a threshold's usage was split.)
     */
    public static Instant recentMidnight() {
        return Instant.now().minus(3, java.time.temporal.ChronoUnit.DAYS).truncatedTo(java.time.temporal.ChronoUnit.DAYS);
    }

    public static Instant day(int n) {
        return T0.plusSeconds(86_400L * n);
    }

    public static String nextId() {
        return "evt-" + IDS.incrementAndGet();
    }

    public static SubscriptionEvent.Builder subscription(String account, SubscriptionEventType type, Instant at) {
        return SubscriptionEvent.newBuilder()
                .setEventId(nextId())
                .setAccountId(account)
                .setOccurredAt(at)
                .setType(type)
                .setSubscriptionId(account + "-sub-1")
                .setPlanId("starter")
                .setSegment(Segment.SMB)
                .setBillingInterval(BillingInterval.MONTHLY)
                .setAmountMinor(10_000)
                .setCurrency("USD")
                .setQuantity(10)
                .setLimits(new HashMap<>());
    }

    public static SubscriptionEvent created(String account, Instant at, long amountMinor, Map<String, Long> limits) {
        return subscription(account, SubscriptionEventType.CREATED, at)
                .setAmountMinor(amountMinor)
                .setStartDate(at)
                .setLimits(new HashMap<>(limits))
                .build();
    }

    public static UsageEvent delta(String account, String metric, long quantity, Instant at) {
        return usage(account, metric, quantity, UsageKind.DELTA, at);
    }

    public static UsageEvent gauge(String account, String metric, long quantity, Instant at) {
        return usage(account, metric, quantity, UsageKind.GAUGE, at);
    }

    public static UsageEvent usage(String account, String metric, long quantity, UsageKind kind, Instant at) {
        return UsageEvent.newBuilder()
                .setEventId(nextId())
                .setAccountId(account)
                .setOccurredAt(at)
                .setMetric(metric)
                .setQuantity(quantity)
                .setKind(kind)
                .build();
    }

    public static EngagementEvent.Builder engagement(String account, EngagementType type, Instant at) {
        return EngagementEvent.newBuilder()
                .setEventId(nextId())
                .setAccountId(account)
                .setOccurredAt(at)
                .setType(type);
    }

    public static EngagementEvent activeUsers(String account, int users, Instant at) {
        return engagement(account, EngagementType.ACTIVE_USERS, at).setActiveUsers(users).build();
    }

    public static EngagementEvent gateHit(String account, String feature, String tier, Instant at) {
        return engagement(account, EngagementType.FEATURE_GATE_HIT, at).setFeature(feature).setFeatureTier(tier).build();
    }

    public static EngagementEvent nps(String account, int score, Instant at) {
        return engagement(account, EngagementType.NPS_RESPONSE, at).setNpsScore(score).build();
    }

    public static EngagementEvent paymentFailed(String account, Instant at) {
        return engagement(account, EngagementType.PAYMENT_FAILED, at).build();
    }
}
