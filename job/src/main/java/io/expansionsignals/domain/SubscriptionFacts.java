package io.expansionsignals.domain;

import java.util.List;
import java.util.Objects;

/**
 * What an account's subscriptions amount to under the catalog in force: the main subscription,
 * how many are active, the seats bought, the threshold levels and each metric's limit. Every event
 * reads these several times (scoring, thresholds, the snapshot decision), each read a walk over
 * the subscriptions and the catalog, yet only the ledger (a subscription event, a cancellation
 * taking effect) and a new catalog change them. So they are kept on the account, outside its
 * persisted state, and rebuilt on the first read after either.
 */
final class SubscriptionFacts {
    private final EngineSettings settings;
    final SubscriptionState main;
    final int active;
    final int seats;
    final List<Double> levels;
    /** Hash of the main subscription's plan id (0 without one), for the snapshot fingerprint. */
    final int mainPlanHash;

    private SubscriptionFacts(AccountState a, EngineSettings settings) {
        this.settings = settings;
        int count = 0;
        for (SubscriptionState s : a.subscriptions.values()) {
            if (s.active) {
                count++;
            }
        }
        this.main = PlayAdvisor.mainSubscription(a);
        this.active = count;
        this.seats = a.purchasedSeats();
        this.levels = levels(a, main, settings);
        this.mainPlanHash = main == null ? 0 : Objects.hashCode(main.planId);
    }

    /** The account's facts under these settings, rebuilt if the subscriptions or the catalog changed since. */
    static SubscriptionFacts of(AccountState a, EngineSettings settings) {
        SubscriptionFacts f = a.subscriptionFacts;
        if (f == null || f.settings != settings) {
            f = new SubscriptionFacts(a, settings);
            a.subscriptionFacts = f;
        }
        return f;
    }

    /** The ledger changed the account's subscriptions or segment. */
    static void changed(AccountState a) {
        a.subscriptionFacts = null;
    }

    /**
     * See {@link Limits#of}. Kept on the metric itself, stamped with these facts: the metric is read
     * anyway, while a map from name to limit cost a hash of the name and three more objects to
     * reach on every read.
     */
    long limit(AccountState a, String metric, MetricState m) {
        if (m.derivedLimitFacts != this) {
            m.derivedLimit = Limits.of(a, metric, settings.catalog);
            m.derivedLimitFacts = this;
        }
        return m.derivedLimit;
    }

    /** The main subscription's plan levels, else the segment's, else the defaults. */
    private static List<Double> levels(AccountState a, SubscriptionState main, EngineSettings settings) {
        if (main != null) {
            Plan plan = settings.catalog.planOrNull(main.planId);
            if (plan != null && !plan.levels().isEmpty()) {
                return plan.levels();
            }
        }
        if (a.segment != null) {
            List<Double> bySegment = settings.segmentLevels.get(a.segment.name());
            if (bySegment != null) {
                return bySegment;
            }
        }
        return settings.defaultLevels;
    }
}
