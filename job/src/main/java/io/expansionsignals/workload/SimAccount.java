package io.expansionsignals.workload;

import io.expansionsignals.schema.BillingInterval;
import io.expansionsignals.schema.Segment;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * One simulated customer: its fixed traits (drawn once from the seed) and its mutable state.
 * Usage is modelled in absolute units that grow exponentially from sign-up, so an upgrade lowers
 * utilisation without changing what the customer actually consumes.
 */
final class SimAccount {
    enum Status { NOT_YET_CREATED, ACTIVE, CANCELLATION_SCHEDULED, CANCELED }

    final String accountId;
    final Segment segment;
    final String currency;
    final Instant signupAt;
    /** Monthly growth rate of usage and users (e.g. 0.2 = ~22 % a month). */
    final double growthPerMonth;
    /** api_calls a month, storage GB and active users at sign-up. */
    final double apiCallsAtSignup;
    final double storageAtSignup;
    final double usersAtSignup;
    final double projectsAtSignup;
    /** How many distinct features the account uses (adoption breadth). */
    final int featureBreadth;

    BillingInterval interval;
    int planIndex;
    int seats;
    final TreeSet<String> addOns = new TreeSet<>();
    /** 0 (miserable) to 1 (delighted): drives sentiment, NPS, payment failures and churn. */
    double happiness;
    Status status = Status.NOT_YET_CREATED;
    int subscriptionNumber;
    Instant startDate;
    Instant renewalDate;
    Instant cancelEffectiveAt;
    /** Outstanding failed payment: when it resolves, and whether it resolves by recovering. */
    Instant paymentResolvesAt;
    boolean paymentWillRecover;
    /** Month-to-date api_calls (UTC calendar month), as the job sums DELTA usage. */
    int usageMonth = -1;
    long apiCallsThisMonth;
    long storageLevel;
    int activeUsers;
    final Map<String, Integer> gateHits = new HashMap<>();

    SimAccount(String accountId, Segment segment, String currency, Instant signupAt, double growthPerMonth,
               double apiCallsAtSignup, double storageAtSignup, double usersAtSignup, double projectsAtSignup,
               int featureBreadth) {
        this.accountId = accountId;
        this.segment = segment;
        this.currency = currency;
        this.signupAt = signupAt;
        this.growthPerMonth = growthPerMonth;
        this.apiCallsAtSignup = apiCallsAtSignup;
        this.storageAtSignup = storageAtSignup;
        this.usersAtSignup = usersAtSignup;
        this.projectsAtSignup = projectsAtSignup;
        this.featureBreadth = featureBreadth;
    }

    String subscriptionId() {
        return accountId + "-sub-" + subscriptionNumber;
    }

    boolean paying() {
        return status == Status.ACTIVE || status == Status.CANCELLATION_SCHEDULED;
    }

    /** The trend factor at {@code at}: e^(g·months since sign-up). */
    double growth(Instant at, double elasticity) {
        double months = Math.max(0, at.toEpochMilli() - signupAt.toEpochMilli()) / (30.44 * 86_400_000.0);
        return Math.exp(growthPerMonth * elasticity * months);
    }
}
