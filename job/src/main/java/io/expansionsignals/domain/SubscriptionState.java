package io.expansionsignals.domain;

import io.expansionsignals.schema.BillingInterval;
import java.util.Map;

/**
 * What the engine remembers of one subscription. A Flink POJO (public no-arg constructor, public
 * fields, POJO/collection-typed members) so keyed state never falls back to Kryo.
 */
public class SubscriptionState {
    public String subscriptionId;
    public String planId;
    public BillingInterval billingInterval = BillingInterval.MONTHLY;
    public long amountMinor;
    public String currency;
    public int quantity;
    /** add-on id -> charge per billing interval, minor units of {@link #currency}. */
    public Map<String, Long> addOns = new NameLongMap();
    /** metric -> limit from the event, {@link #UNLIMITED} for unlimited; empty = ask the catalog. */
    public Map<String, Long> limits = new NameLongMap();
    /** MRR in reporting currency at the rate of its last change, so an FX change alone moves nothing. */
    public long mrrReportingMinor;
    public boolean active;
    public long startDate;
    public long renewalDate;
    /** Effective time of a scheduled cancellation, 0 if none is pending. */
    public long cancelAt;
    /** Event id of the pending cancellation, the cause of the movement when it takes effect. */
    public String cancelEventId;
    /** Event time of the newest subscription snapshot applied, to ignore stale snapshots. */
    public long lastChangeAt;

    public static final long UNLIMITED = -1L;

    public SubscriptionState() {}

    public long recurringAmountMinor() {
        long total = amountMinor;
        for (long a : addOns.values()) {
            total += a;
        }
        return total;
    }
}
