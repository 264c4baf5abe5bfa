package io.expansionsignals.domain;

import io.expansionsignals.schema.HealthBand;
import io.expansionsignals.schema.Segment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The single state object per account. A Flink POJO: public no-arg constructor, public fields,
 * members that are POJOs, enums, boxed primitives, or java.util collections of those.
 */
public class AccountState {
    public String accountId;
    public Segment segment;
    public Map<String, SubscriptionState> subscriptions = new NameMap<>();
    /** Sum of the active subscriptions' MRR in the reporting currency. */
    public long mrrMinor;
    /** True once the account has had MRR > 0: a later 0 -> >0 is a reactivation, not new. */
    public boolean everActive;
    /** Start of the earliest subscription, 0 if unknown: the tenure clock. */
    public long firstStartAt;
    /** Highest event time seen for this account. */
    public long lastEventAt;

    public Map<String, MetricState> metrics = new NameMap<>();

    public int activeUsers = -1;
    public long activeUsersAt;
    public List<String> seatLevelsDisarmed = new ArrayList<>();
    public Map<String, Long> seatLevelFiredInPeriod = new NameLongMap();
    /** feature -> last time it was used (feature adoption breadth). */
    public Map<String, Long> featureLastUsed = new NameLongMap();
    /** See {@link FeatureAdoption}: features used in the 30 days before any time in (from, to]. */
    public int adoptedFeatures;
    public long adoptedFrom;
    public long adoptedTo = Long.MIN_VALUE;
    /** feature -> times it hit a premium gate within the window, oldest first. */
    public Map<String, GateHits> gateHits = new NameMap<>();
    /** feature -> time a feature-gate signal last fired for it. */
    public Map<String, Long> gateSignalledAt = new NameLongMap();

    /** Exponentially weighted support sentiment in [-1, 1]; null until a ticket is seen. */
    public Double sentiment;
    public int npsScore = -1;
    public int openPaymentFailures;
    public boolean paymentSeen;
    public long lastPaymentRecoveredAt;

    /** Last health score of each recent day, see {@link ScoreHistory}. */
    public short[] dailyScoreTenths = EmptyArrays.SHORTS;
    /** UTC day number of the newest day in {@link #dailyScoreTenths}. */
    public long dailyScoresNewestDay;
    public HealthBand band = HealthBand.UNKNOWN;
    public boolean scoreDropActive;
    /** A BAND_DROP was signalled and the score has not yet recovered clearly above AT_RISK. */
    public boolean atRiskSignalled;

    /** signal type -> time it last fired, for the per-type cooldown. */
    public Map<String, Long> lastSignalAt = new NameLongMap();
    /** signal type -> level (or 0) of the last signal of that type, so escalation can pass the cooldown. */
    public Map<String, Double> lastSignalLevel = new NameMap<>();
    /** Milestones already signalled (name|anchor), so a replayed timer does not fire twice. */
    public List<String> firedMilestones = new ArrayList<>();

    /** See {@link RecentEventIds}: hashes and event times of recently applied eventIds, the first {@link #seenIdCount} used. */
    public long[] seenIdHashes = EmptyArrays.LONGS;
    public long[] seenIdTimes = EmptyArrays.LONGS;
    public int seenIdCount;

    /**
     * Event time of the timer the operator has registered for {@link AccountEngine#nextWakeUp}: 0 if
     * not yet scheduled, Long.MAX_VALUE if nothing is due until a subscription event changes that.
     */
    public long wakeUpAt;

    /** Fingerprint of the last account-health snapshot emitted, to skip unchanged snapshots. */
    public int lastSnapshotFingerprint;
    /** Score of the last account-health snapshot emitted, null if none or it had no score. */
    public Double lastSnapshotScore;

    /** Derived from the subscriptions and the catalog, not state: transient, so never serialised. */
    transient SubscriptionFacts subscriptionFacts;
    /** {@link #metrics} as arrays, see {@link MetricArrays}: derived, transient. */
    transient MetricArrays metricArrays;

    public AccountState() {}

    public boolean hasActiveSubscription() {
        for (SubscriptionState s : subscriptions.values()) {
            if (s.active) {
                return true;
            }
        }
        return false;
    }

    public int purchasedSeats() {
        int seats = 0;
        for (SubscriptionState s : subscriptions.values()) {
            if (s.active) {
                seats += s.quantity;
            }
        }
        return seats;
    }
}
