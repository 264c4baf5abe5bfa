package io.expansionsignals.workload;

import io.expansionsignals.domain.AddOn;
import io.expansionsignals.domain.Plan;
import io.expansionsignals.schema.EngagementType;
import io.expansionsignals.schema.SubscriptionEventType;
import io.expansionsignals.schema.UsageKind;
import io.expansionsignals.workload.SimAccount.Status;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What one account does during one simulated step. Rates are per simulated day and scaled by the
 * step length, so the behaviour is the same whatever step size the demo runs with. Subscription
 * changes of one account get increasing times within a step, so each event's "state after the
 * change" is consistent with the ones before it.
 */
final class AccountSimulator {
    private static final double DAY_MS = 86_400_000.0;
    private static final double MONTH_DAYS = 30.44;
    private static final String[] FEATURES = {"dashboards", "reports", "api-keys", "webhooks", "integrations",
        "exports", "alerts", "comments", "templates", "automation", "mobile-app", "search"};

    private final SplittableRandom rng;
    private final EventFactory events;
    private final List<Plan> plans;
    private final List<AddOn> addOns;

    AccountSimulator(SplittableRandom rng, EventFactory events, List<Plan> plansByTier, List<AddOn> addOns) {
        this.rng = rng;
        this.events = events;
        this.plans = plansByTier;
        this.addOns = addOns;
    }

    void step(SimAccount a, Instant from, Instant to, List<Pending> out) {
        if (a.status == Status.NOT_YET_CREATED) {
            if (!a.signupAt.isBefore(to)) {
                return;
            }
            create(a, out);
            from = a.signupAt.isAfter(from) ? a.signupAt : from;
        }
        Step s = new Step(a, from, to, out);
        resolveDue(s);
        rollRenewals(a, to);
        if (a.status == Status.CANCELED) {
            maybeReactivate(s);
            return;
        }
        a.happiness = clamp(a.happiness + rng.nextDouble(-0.02, 0.02) * Math.sqrt(s.days), 0, 1);
        usage(s);
        engagement(s);
        if (a.status == Status.ACTIVE) {
            expand(s);
            contractOrChurn(s);
        }
    }

    /** The time frame of one step for one account and where its events go. */
    private final class Step {
        final SimAccount a;
        final Instant from;
        final Instant to;
        final double days;
        final List<Pending> out;
        /** Subscription changes within the step are strictly after this instant. */
        Instant lastChange;

        Step(SimAccount a, Instant from, Instant to, List<Pending> out) {
            this.a = a;
            this.from = from;
            this.to = to;
            this.days = Math.max(0, to.toEpochMilli() - from.toEpochMilli()) / DAY_MS;
            this.out = out;
            this.lastChange = from;
        }

        Instant anyTime() {
            long span = to.toEpochMilli() - from.toEpochMilli();
            return span <= 0 ? from : from.plusMillis(rng.nextLong(span));
        }

        Instant changeTime() {
            long lo = lastChange.toEpochMilli() + 1;
            long hi = to.toEpochMilli();
            lastChange = Instant.ofEpochMilli(lo >= hi ? hi : lo + rng.nextLong(hi - lo));
            return lastChange;
        }

        boolean chance(double perDay) {
            return rng.nextDouble() < Math.min(1.0, perDay * days);
        }

        void subscription(SubscriptionEventType type, Instant at) {
            add(Topic.SUBSCRIPTION, events.subscription(a, type, at).build(), at);
        }

        void add(Topic topic, org.apache.avro.specific.SpecificRecord r, Instant at) {
            out.add(new Pending(a, topic, r, at));
        }
    }

    private void create(SimAccount a, List<Pending> out) {
        a.status = Status.ACTIVE;
        a.subscriptionNumber = 1;
        a.startDate = a.signupAt;
        a.renewalDate = a.signupAt.atZone(ZoneOffset.UTC).plusMonths(Pricing.months(a.interval)).toInstant();
        out.add(new Pending(a, Topic.SUBSCRIPTION,
                events.subscription(a, SubscriptionEventType.CREATED, a.signupAt).build(), a.signupAt));
    }

    /** Cancellations that take effect and failed payments that resolve during this step. */
    private void resolveDue(Step s) {
        SimAccount a = s.a;
        if (a.status == Status.CANCELLATION_SCHEDULED && !a.cancelEffectiveAt.isAfter(s.to)) {
            cancel(s, a.cancelEffectiveAt);
        }
        if (a.paymentResolvesAt != null && !a.paymentResolvesAt.isAfter(s.to)) {
            Instant at = a.paymentResolvesAt;
            a.paymentResolvesAt = null;
            if (a.paying() && a.paymentWillRecover) {
                s.add(Topic.ENGAGEMENT, events.engagement(a, EngagementType.PAYMENT_RECOVERED, at).build(), at);
            } else if (a.paying()) {
                cancel(s, at); // dunning exhausted: involuntary churn, effective at once
            }
        }
    }

    private void cancel(Step s, Instant at) {
        s.a.status = Status.CANCELED;
        s.a.cancelEffectiveAt = null;
        s.add(Topic.SUBSCRIPTION, events.subscription(s.a, SubscriptionEventType.CANCELED, at).build(), at);
        s.lastChange = at.isAfter(s.lastChange) ? at : s.lastChange;
    }

    private void rollRenewals(SimAccount a, Instant to) {
        while (a.renewalDate != null && !a.renewalDate.isAfter(to)) {
            a.renewalDate = a.renewalDate.atZone(ZoneOffset.UTC).plusMonths(Pricing.months(a.interval)).toInstant();
        }
    }

    private void maybeReactivate(Step s) {
        if (s.chance(0.015)) {
            SimAccount a = s.a;
            Instant at = s.changeTime();
            a.status = Status.ACTIVE;
            a.happiness = rng.nextDouble(0.4, 0.8);
            a.startDate = at;
            a.renewalDate = at.atZone(ZoneOffset.UTC).plusMonths(Pricing.months(a.interval)).toInstant();
            s.subscription(SubscriptionEventType.REACTIVATED, at);
        }
    }

    /** api_calls as monthly DELTA consumption with weekly seasonality; storage and projects as gauges. */
    private void usage(Step s) {
        SimAccount a = s.a;
        Instant at = s.anyTime();
        int month = monthIndex(at);
        if (month != a.usageMonth) {
            a.usageMonth = month;
            a.apiCallsThisMonth = 0;
        }
        double perMonth = a.apiCallsAtSignup * a.growth(at, 1.0);
        long calls = Math.max(0, Math.round(perMonth * s.days / MONTH_DAYS * weekly(at) * noise(0.15)));
        a.apiCallsThisMonth += calls;
        s.add(Topic.USAGE, events.usage(a, "api_calls", calls, UsageKind.DELTA, at), at);
        if (s.chance(1.0)) {
            Instant t = s.anyTime();
            a.storageLevel = Math.max(1, Math.round(a.storageAtSignup * a.growth(t, 0.8) * noise(0.02)));
            s.add(Topic.USAGE, events.usage(a, "storage_gb", a.storageLevel, UsageKind.GAUGE, t), t);
        }
        if (s.chance(1.0 / 7)) {
            Instant t = s.anyTime();
            long projects = Math.max(1, Math.round(a.projectsAtSignup * a.growth(t, 0.5)));
            s.add(Topic.USAGE, events.usage(a, "projects", projects, UsageKind.GAUGE, t), t);
        }
    }

    private void engagement(Step s) {
        SimAccount a = s.a;
        if (s.chance(1.0)) {
            Instant t = s.anyTime();
            a.activeUsers = (int) Math.max(0, Math.round(a.usersAtSignup * a.growth(t, 0.6) * noise(0.03)));
            s.add(Topic.ENGAGEMENT, events.engagement(a, EngagementType.ACTIVE_USERS, t)
                    .setActiveUsers(a.activeUsers).build(), t);
        }
        int uses = Math.min(20, poisson(a.featureBreadth * 0.4 * s.days));
        for (int i = 0; i < uses; i++) {
            Instant t = s.anyTime();
            s.add(Topic.ENGAGEMENT, events.engagement(a, EngagementType.FEATURE_USED, t)
                    .setFeature(FEATURES[rng.nextInt(Math.min(a.featureBreadth, FEATURES.length))]).build(), t);
        }
        if (s.chance(a.growthPerMonth > 0.1 ? 0.08 : 0.02)) {
            gateHit(s);
        }
        if (s.chance(0.03 + 0.08 * (1 - a.happiness))) {
            Instant t = s.anyTime();
            double sentiment = Math.round(clamp(2 * a.happiness - 1 + gaussian(0.35), -1, 1) * 100) / 100.0;
            s.add(Topic.ENGAGEMENT, events.engagement(a, EngagementType.SUPPORT_TICKET, t)
                    .setSentiment(sentiment).build(), t);
        }
        if (s.chance(0.008)) {
            Instant t = s.anyTime();
            int score = (int) clamp(Math.round(10 * a.happiness + gaussian(1.5)), 0, 10);
            s.add(Topic.ENGAGEMENT, events.engagement(a, EngagementType.NPS_RESPONSE, t).setNpsScore(score).build(), t);
        }
        if (a.paymentResolvesAt == null && s.chance(0.001 + 0.01 * (1 - a.happiness))) {
            Instant t = s.anyTime();
            a.paymentResolvesAt = t.plus(Duration.ofHours(rng.nextLong(24, 24 * 6)));
            a.paymentWillRecover = rng.nextDouble() < 0.75 + 0.2 * a.happiness;
            a.happiness = clamp(a.happiness - 0.05, 0, 1);
            s.add(Topic.ENGAGEMENT, events.engagement(a, EngagementType.PAYMENT_FAILED, t).build(), t);
        }
    }

    /** A premium feature request: an add-on the account lacks, or the next plan's feature. */
    private void gateHit(Step s) {
        SimAccount a = s.a;
        List<String> tiers = new ArrayList<>();
        for (AddOn addOn : addOns) {
            if (!a.addOns.contains(addOn.addonId())) {
                tiers.add(addOn.addonId());
            }
        }
        if (a.planIndex + 1 < plans.size()) {
            tiers.add(plans.get(a.planIndex + 1).planId());
        }
        if (tiers.isEmpty()) {
            return;
        }
        String tier = tiers.get(rng.nextInt(tiers.size()));
        a.gateHits.merge(tier, 1, Integer::sum);
        Instant t = s.anyTime();
        s.add(Topic.ENGAGEMENT, events.engagement(a, EngagementType.FEATURE_GATE_HIT, t)
                .setFeature(GatedFeatures.featureFor(tier)).setFeatureTier(tier).build(), t);
    }

    /** Upgrades after hitting limits (sometimes), add-ons after gate hits, seats when users fill them. */
    private void expand(Step s) {
        SimAccount a = s.a;
        Plan plan = plans.get(a.planIndex);
        double utilisation = Math.max(ratio(a.apiCallsThisMonth, plan, "api_calls"),
                ratio(a.storageLevel, plan, "storage_gb"));
        boolean hasNext = a.planIndex + 1 < plans.size();
        int planGateHits = hasNext ? a.gateHits.getOrDefault(plans.get(a.planIndex + 1).planId(), 0) : 0;
        double upgradeRate = utilisation >= 1.0 ? 0.4 : utilisation >= 0.9 ? 0.03 : planGateHits >= 3 ? 0.05 : 0;
        if (hasNext && s.chance(upgradeRate)) {
            a.gateHits.remove(plans.get(a.planIndex + 1).planId());
            a.planIndex++;
            s.subscription(SubscriptionEventType.PLAN_CHANGED, s.changeTime());
        }
        for (AddOn addOn : addOns) {
            boolean requested = a.gateHits.getOrDefault(addOn.addonId(), 0) >= 2;
            double rate = requested ? 0.1 : a.happiness > 0.6 ? 0.002 : 0;
            if (!a.addOns.contains(addOn.addonId()) && s.chance(rate)) {
                a.addOns.add(addOn.addonId());
                a.gateHits.remove(addOn.addonId());
                Instant t = s.changeTime();
                s.add(Topic.SUBSCRIPTION, events.addOn(a, SubscriptionEventType.ADDON_ADDED, addOn, t), t);
            }
        }
        if (a.activeUsers >= 0.95 * a.seats && s.chance(0.1)) {
            a.seats += Math.max(1, (int) Math.round(a.seats * rng.nextDouble(0.1, 0.3)));
            s.subscription(SubscriptionEventType.QUANTITY_CHANGED, s.changeTime());
        }
    }

    /** Unhappy accounts shrink (downgrade, fewer seats, drop an add-on) and some leave. */
    private void contractOrChurn(Step s) {
        SimAccount a = s.a;
        boolean unhappy = a.happiness < 0.35;
        if (s.chance(unhappy ? 0.012 : 0.0008)) {
            int option = unhappy ? rng.nextInt(3) : 2;
            for (int i = 0; i < 3; i++, option = (option + 1) % 3) {
                if (contract(s, option)) {
                    break;
                }
            }
        }
        if (a.happiness < 0.3 && s.chance(0.01)) {
            Instant t = s.changeTime();
            if (rng.nextDouble() < 0.7) {
                a.status = Status.CANCELLATION_SCHEDULED;
                boolean renewalSoon = a.renewalDate.isAfter(t) && a.renewalDate.isBefore(t.plus(Duration.ofDays(90)));
                a.cancelEffectiveAt = renewalSoon ? a.renewalDate : t.plus(Duration.ofDays(30));
                s.add(Topic.SUBSCRIPTION, events.subscription(a, SubscriptionEventType.CANCELLATION_SCHEDULED, t)
                        .setEffectiveAt(a.cancelEffectiveAt).build(), t);
            } else {
                cancel(s, t);
            }
        }
    }

    private boolean contract(Step s, int option) {
        SimAccount a = s.a;
        switch (option) {
            case 0 -> {
                if (a.planIndex == 0) {
                    return false;
                }
                a.planIndex--;
                s.subscription(SubscriptionEventType.PLAN_CHANGED, s.changeTime());
            }
            case 1 -> {
                if (a.seats <= 1) {
                    return false;
                }
                a.seats = Math.max(1, a.seats - Math.max(1, (int) Math.round(a.seats * rng.nextDouble(0.1, 0.3))));
                s.subscription(SubscriptionEventType.QUANTITY_CHANGED, s.changeTime());
            }
            default -> {
                if (a.addOns.isEmpty()) {
                    return false;
                }
                String id = a.addOns.first();
                a.addOns.remove(id);
                AddOn addOn = addOns.stream().filter(x -> x.addonId().equals(id)).findFirst().orElseThrow();
                Instant t = s.changeTime();
                s.add(Topic.SUBSCRIPTION, events.addOn(a, SubscriptionEventType.ADDON_REMOVED, addOn, t), t);
            }
        }
        return true;
    }

    private static double ratio(long usage, Plan plan, String metric) {
        Long limit = plan.limits().get(metric);
        return limit == null || limit <= 0 ? 0 : (double) usage / limit;
    }

    /** Busy weekdays, quiet weekends; averages to 1 over a week. */
    private static double weekly(Instant at) {
        DayOfWeek d = at.atZone(ZoneOffset.UTC).getDayOfWeek();
        return d == DayOfWeek.SATURDAY || d == DayOfWeek.SUNDAY ? 0.6 : 1.16;
    }

    private static int monthIndex(Instant at) {
        ZonedDateTime z = at.atZone(ZoneOffset.UTC);
        return z.getYear() * 12 + z.getMonthValue();
    }

    private double noise(double sd) {
        return Math.max(0.05, 1 + gaussian(sd));
    }

    /** Box-Muller from the seeded source (SplittableRandom has no nextGaussian in Java 17). */
    private double gaussian(double sd) {
        double u1 = 1 - rng.nextDouble();
        double u2 = rng.nextDouble();
        return sd * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** Knuth's method; the means here are small (a few a day). */
    private int poisson(double mean) {
        double l = Math.exp(-Math.min(mean, 30));
        int k = 0;
        double p = 1;
        do {
            k++;
            p *= rng.nextDouble();
        } while (p > l);
        return k - 1;
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
