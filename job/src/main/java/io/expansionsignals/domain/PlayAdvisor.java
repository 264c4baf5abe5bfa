package io.expansionsignals.domain;

import io.expansionsignals.schema.Channel;
import io.expansionsignals.schema.ChurnRiskType;
import io.expansionsignals.schema.ExpansionSignalType;
import io.expansionsignals.schema.HealthBand;
import io.expansionsignals.schema.Play;
import io.expansionsignals.schema.Priority;
import io.expansionsignals.schema.Segment;
import java.util.Optional;

/**
 * The playbook: which play a signal calls for, on which channel, with what priority, and the
 * offer (next tier or add-on) with its MRR uplift. Value before asking: an AT_RISK account gets
 * RETENTION_FIRST instead of any upsell. Enterprise accounts get a CSM call; SMB usage signals
 * are shown in the product; everything else goes by e-mail.
 */
public final class PlayAdvisor {
    private final EngineSettings settings;

    public PlayAdvisor(EngineSettings settings) {
        this.settings = settings;
    }

    public Recommendation forExpansion(
            AccountState a, ExpansionSignalType type, double level, String featureTier, String milestone, HealthBand band) {
        Offer offer = Offer.NONE;
        Play play;
        switch (type) {
            case USAGE_THRESHOLD, LIMIT_REACHED, FORECAST_BREACH -> {
                offer = nextTier(a);
                play = offer.planId != null ? Play.UPSELL : Play.USAGE_EXPANSION;
            }
            case SEAT_THRESHOLD -> {
                play = Play.SEAT_EXPANSION;
                offer = extraSeats(a);
            }
            case FEATURE_GATE -> {
                Optional<AddOn> addOn = settings.catalog.addOn(featureTier);
                if (addOn.isPresent()) {
                    play = Play.CROSS_SELL;
                    offer = new Offer(null, settings.fx.toReporting(addOn.get().monthlyPriceMinor(), addOn.get().currency()));
                } else {
                    play = Play.UPSELL;
                    offer = settings.catalog.plan(featureTier).map(p -> upliftTo(a, p)).orElseGet(() -> nextTier(a));
                }
            }
            default -> play = Milestones.DAY_180.equals(milestone) && band == HealthBand.HEALTHY ? Play.UPSELL : Play.CHECK_IN;
        }
        if (play == Play.UPSELL && type == ExpansionSignalType.MILESTONE) {
            offer = nextTier(a);
        }
        if (band == HealthBand.AT_RISK) {
            return new Recommendation(Play.RETENTION_FIRST, retentionChannel(a), Priority.HIGH, null, null);
        }
        return new Recommendation(play, channel(a, type), priority(a, type, level, milestone), offer.planId, offer.uplift);
    }

    public Recommendation forChurnRisk(AccountState a, ChurnRiskType type) {
        Priority p = switch (type) {
            case BAND_DROP, PAYMENT_FAILURE -> Priority.HIGH;
            case SCORE_DROP -> Priority.MEDIUM;
        };
        return new Recommendation(Play.RETENTION_FIRST, retentionChannel(a), bump(a, p), null, null);
    }

    private Channel channel(AccountState a, ExpansionSignalType type) {
        if (a.segment == Segment.ENTERPRISE) {
            return Channel.CSM_CALL;
        }
        boolean inProduct = type == ExpansionSignalType.USAGE_THRESHOLD || type == ExpansionSignalType.LIMIT_REACHED
                || type == ExpansionSignalType.SEAT_THRESHOLD || type == ExpansionSignalType.FEATURE_GATE;
        return a.segment == Segment.SMB && inProduct ? Channel.IN_APP : Channel.EMAIL;
    }

    private static Channel retentionChannel(AccountState a) {
        return a.segment == Segment.SMB ? Channel.EMAIL : Channel.CSM_CALL;
    }

    private static Priority priority(AccountState a, ExpansionSignalType type, double level, String milestone) {
        Priority p = switch (type) {
            case LIMIT_REACHED -> Priority.HIGH;
            case USAGE_THRESHOLD, SEAT_THRESHOLD -> level >= 0.9 ? Priority.MEDIUM : Priority.LOW;
            case FORECAST_BREACH, FEATURE_GATE -> Priority.MEDIUM;
            case MILESTONE -> Milestones.RENEWAL_PREP.equals(milestone) ? Priority.MEDIUM : Priority.LOW;
        };
        if (type == ExpansionSignalType.SEAT_THRESHOLD && level >= 1.0) {
            p = Priority.HIGH;
        }
        return bump(a, p);
    }

    /** Enterprise accounts carry more revenue: one step more urgent. */
    private static Priority bump(AccountState a, Priority p) {
        if (a.segment != Segment.ENTERPRISE || p == Priority.URGENT) {
            return p;
        }
        return Priority.values()[p.ordinal() + 1];
    }

    /** The next tier of the account's largest subscription, and what moving to it adds to MRR. */
    private Offer nextTier(AccountState a) {
        SubscriptionState main = mainSubscription(a);
        if (main == null) {
            return Offer.NONE;
        }
        return settings.catalog.nextTier(main.planId).map(next -> upliftTo(a, next)).orElse(Offer.NONE);
    }

    private Offer upliftTo(AccountState a, Plan target) {
        SubscriptionState main = mainSubscription(a);
        long current = main == null ? 0 : main.mrrReportingMinor;
        long targetMrr = settings.fx.knows(target.currency())
                ? settings.fx.toReporting(target.monthlyPriceMinor(), target.currency()) : 0;
        return new Offer(target.planId(), Math.max(0, targetMrr - current));
    }

    /** Seats beyond those purchased (at least one more) at the current per-seat MRR. */
    private static Offer extraSeats(AccountState a) {
        SubscriptionState main = mainSubscription(a);
        int seats = a.purchasedSeats();
        if (main == null || seats <= 0 || main.quantity <= 0) {
            return Offer.NONE;
        }
        int extra = Math.max(1, a.activeUsers - seats);
        return new Offer(null, main.mrrReportingMinor / main.quantity * extra);
    }

    static SubscriptionState mainSubscription(AccountState a) {
        SubscriptionState best = null;
        for (SubscriptionState s : a.subscriptions.values()) {
            if (s.active && (best == null || s.mrrReportingMinor > best.mrrReportingMinor
                    || (s.mrrReportingMinor == best.mrrReportingMinor && s.subscriptionId.compareTo(best.subscriptionId) < 0))) {
                best = s;
            }
        }
        return best;
    }

    private record Offer(String planId, Long uplift) {
        static final Offer NONE = new Offer(null, null);
    }
}
