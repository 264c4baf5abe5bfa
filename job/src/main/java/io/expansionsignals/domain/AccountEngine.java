package io.expansionsignals.domain;

import io.expansionsignals.schema.AccountHealth;
import io.expansionsignals.schema.ChurnRiskType;
import io.expansionsignals.schema.EngagementEvent;
import io.expansionsignals.schema.ExpansionSignalType;
import io.expansionsignals.schema.HealthBand;
import io.expansionsignals.schema.SubscriptionEvent;
import io.expansionsignals.schema.UsageEvent;
import io.expansionsignals.schema.UsageKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The account engine: applies one input event (or the passing of time) to an account's state and
 * decides what follows: MRR movements, expansion signals, churn-risk signals and a new health
 * snapshot. Pure Java: the Flink operator only feeds it and routes its results.
 */
public final class AccountEngine {
    public static final String SEATS = "seats";
    private static final long DAY = UsagePeriod.DAY_MILLIS;
    private static final double SENTIMENT_WEIGHT = 0.3;
    /** Points a score must recover past a risk boundary before that risk can be signalled again. */
    public static final double RISK_HYSTERESIS = 5;

    private final EngineSettings settings;
    private final MrrLedger ledger;
    private final HealthScorer scorer;
    private final ThresholdRule thresholds;
    private final Cooldown cooldown;
    private final SignalFactory signals;

    public AccountEngine(EngineSettings settings) {
        this.settings = settings;
        this.ledger = new MrrLedger(settings);
        this.scorer = new HealthScorer(settings);
        this.thresholds = new ThresholdRule(settings.hysteresis);
        this.cooldown = new Cooldown(settings.cooldownMillis);
        this.signals = new SignalFactory(settings);
    }

    public EngineSettings settings() {
        return settings;
    }

    public static AccountState newAccount(String accountId) {
        AccountState a = new AccountState();
        a.accountId = accountId;
        return a;
    }

    public EngineResult onSubscription(AccountState a, SubscriptionEvent e, long processedAt) {
        EngineResult r = new EngineResult();
        long at = touch(a, e.getOccurredAt());
        if (ledger.isSuperseded(a, e)) {
            r.superseded = true;
            return r;
        }
        r.movements.addAll(ledger.apply(a, e));
        HealthAssessment health = assessAndWatchRisk(a, r, at, e.getEventId(), processedAt);
        // A plan change can change limits and seats: re-evaluate every metric against them.
        for (Map.Entry<String, MetricState> m : new TreeMap<>(a.metrics).entrySet()) {
            evaluateMetric(a, m.getKey(), m.getValue(), health, r, at, e.getEventId(), processedAt);
        }
        evaluateSeats(a, health, r, at, e.getEventId(), processedAt);
        finish(a, health, r);
        return r;
    }

    public EngineResult onUsage(AccountState a, UsageEvent e, long processedAt) {
        EngineResult r = new EngineResult();
        long at = touch(a, e.getOccurredAt());
        MetricState m = MetricArrays.getOrAdd(a, e.getMetric());
        m.kind = e.getKind();
        followLimit(a, e.getMetric(), m); // before this event's usage counts: a new catalog may have changed the limit
        long period = settings.usagePeriod.startOf(at);
        if (m.kind == UsageKind.DELTA) {
            if (period > m.periodStart) {
                boolean adjacent = m.periodStart > 0 && settings.usagePeriod.endOf(m.periodStart) == period;
                m.previousPeriodUsage = adjacent ? m.usage : 0;
                m.usage = 0;
                m.periodStart = period;
            } else if (period < m.periodStart) {
                r.closedPeriod = true; // consumption of a period that already rolled over
                return r;
            }
            m.usage = saturatedAdd(m.usage, e.getQuantity()); // never throw: a thrown record is replayed forever
        } else {
            if (at >= m.lastReadingAt) {
                m.usage = e.getQuantity();
                m.lastReadingAt = at;
                m.periodStart = Math.max(m.periodStart, period);
            }
            GaugeSamples.add(m, at, e.getQuantity());
        }
        HealthAssessment health = assessAndWatchRisk(a, r, at, e.getEventId(), processedAt);
        evaluateMetric(a, e.getMetric(), m, health, r, at, e.getEventId(), processedAt);
        finish(a, health, r);
        return r;
    }

    public EngineResult onEngagement(AccountState a, EngagementEvent e, long processedAt) {
        EngineResult r = new EngineResult();
        long at = touch(a, e.getOccurredAt());
        boolean gateHit = false;
        switch (e.getType()) {
            case ACTIVE_USERS -> {
                if (at >= a.activeUsersAt) {
                    a.activeUsers = e.getActiveUsers();
                    a.activeUsersAt = at;
                }
            }
            case FEATURE_USED -> {
                Long previous = a.featureLastUsed.get(e.getFeature());
                boolean added = previous == null;
                if (added || previous < at) {
                    // a key already there stays as it is, so only a new one needs the shared name
                    a.featureLastUsed.put(added ? SharedNames.of(e.getFeature()) : e.getFeature(), at);
                    FeatureAdoption.used(a, previous);
                }
                if (added) {
                    // pruned when a feature is added, not on every use: the map stays bounded by the
                    // features used in the last 60 days, plus the one just added
                    a.featureLastUsed.values().removeIf(t -> a.lastEventAt - t > 60 * DAY);
                }
            }
            case FEATURE_GATE_HIT -> {
                GateHits gate = a.gateHits.get(e.getFeature());
                if (gate == null) {
                    gate = new GateHits();
                    a.gateHits.put(SharedNames.of(e.getFeature()), gate); // the pool is asked only for a new key
                }
                List<Long> hits = gate.times;
                hits.add(at);
                hits.removeIf(t -> at - t >= settings.featureGateWindowMillis || t - at >= settings.featureGateWindowMillis);
                forgetOldGateHits(a, e.getFeature());
                gateHit = true;
            }
            case SUPPORT_TICKET -> a.sentiment = a.sentiment == null ? e.getSentiment()
                    : (1 - SENTIMENT_WEIGHT) * a.sentiment + SENTIMENT_WEIGHT * e.getSentiment();
            case NPS_RESPONSE -> a.npsScore = e.getNpsScore();
            case PAYMENT_FAILED -> {
                a.paymentSeen = true;
                a.openPaymentFailures++;
            }
            case PAYMENT_RECOVERED -> {
                a.paymentSeen = true;
                a.openPaymentFailures = 0;
                a.lastPaymentRecoveredAt = Math.max(a.lastPaymentRecoveredAt, at);
            }
        }
        HealthAssessment health = assessAndWatchRisk(a, r, at, e.getEventId(), processedAt);
        switch (e.getType()) {
            case ACTIVE_USERS -> evaluateSeats(a, health, r, at, e.getEventId(), processedAt);
            case PAYMENT_FAILED -> churnRisk(a, health, r, ChurnRiskType.PAYMENT_FAILURE, null, null, at, e.getEventId(), processedAt);
            default -> { }
        }
        if (gateHit) {
            evaluateFeatureGate(a, e, health, r, at, processedAt);
        }
        finish(a, health, r);
        return r;
    }

    /** The passing of event time (a timer): cancellations taking effect, milestones, expiry. */
    public EngineResult onTime(AccountState a, long time, long processedAt) {
        EngineResult r = new EngineResult();
        r.movements.addAll(ledger.applyDueCancellations(a, time));
        long now = Math.max(time, a.lastEventAt);
        HealthAssessment health = r.movements.isEmpty() ? scorer.assess(a, now) : assessAndWatchRisk(a, r, now, null, processedAt);
        for (Milestones.Due due : Milestones.pending(a, settings.renewalPrepMinInterval)) {
            if (due.at() > time) {
                continue;
            }
            a.firedMilestones.add(due.key());
            if (!due.stale(time)) {
                r.expansionSignals.add(signals.expansion(a, health, new SignalFactory.Trigger(
                        ExpansionSignalType.MILESTONE, null, null, null, null, null, due.name(), null, null,
                        due.at(), null, due.key()), processedAt));
            }
        }
        Milestones.forgetPassedRenewals(a);
        if (!a.hasActiveSubscription() && a.lastEventAt + settings.quietAccountExpiryMillis <= time) {
            r.expire = true;
            return r;
        }
        finish(a, health, r);
        return r;
    }

    /**
     * The earliest event time at which {@link #onTime} has work for this account: a scheduled
     * cancellation, a milestone, or the expiry of an account without an active subscription.
     */
    public long nextWakeUp(AccountState a) {
        long next = Long.MAX_VALUE;
        long cancel = MrrLedger.nextCancellation(a);
        if (cancel > 0) {
            next = cancel;
        }
        next = Math.min(next, Milestones.nextDue(a, settings.renewalPrepMinInterval));
        if (SubscriptionFacts.of(a, settings).active == 0) {
            next = Math.min(next, a.lastEventAt + settings.quietAccountExpiryMillis);
        }
        return next;
    }

    /**
     * Other features' gate hits are only pruned when that feature is hit again, so without this an
     * account that ever hit many features kept them all, forever. Hits (and last feature-gate
     * signals) older than two windows before the account's newest event can only matter to an event
     * more than a window late; they are dropped.
     */
    private void forgetOldGateHits(AccountState a, String current) {
        long horizon = a.lastEventAt - 2 * settings.featureGateWindowMillis;
        a.gateHits.entrySet().removeIf(g -> {
            g.getValue().times.removeIf(t -> t < horizon);
            return g.getValue().times.isEmpty() && !g.getKey().equals(current);
        });
        a.gateSignalledAt.values().removeIf(t -> t < horizon);
    }

    private long touch(AccountState a, Instant occurredAt) {
        long at = occurredAt.toEpochMilli();
        a.lastEventAt = Math.max(a.lastEventAt, at);
        return at;
    }

    private void evaluateMetric(AccountState a, String metric, MetricState m, HealthAssessment health,
            EngineResult r, long at, String causeEventId, long processedAt) {
        long limit = followLimit(a, metric, m);
        List<Double> levels = levelsFor(a);
        boolean gauge = m.kind == UsageKind.GAUGE;
        if (limit <= 0) {
            return;
        }
        long period = m.periodStart;
        Optional<Double> fired = thresholds.evaluate(levels, m.usage, limit, gauge, period, m.firedInPeriod, m.disarmed,
                level -> cooldown.allows(a, typeOf(level).name(), level, at));
        if (fired.isPresent()) {
            double level = fired.get();
            ExpansionSignalType type = typeOf(level);
            cooldown.record(a, type.name(), level, at);
            r.expansionSignals.add(signals.expansion(a, health, new SignalFactory.Trigger(type, metric, level, m.usage,
                    limit, null, null, null, null, at, causeEventId,
                    metric + "|" + ThresholdRule.key(level) + "|" + period + "|" + limit + "#" + m.limitChanges), processedAt));
        }
        // The forecast is the early warning: once usage has reached the first level, thresholds speak.
        boolean belowFirstLevel = !ThresholdRule.reached(m.usage, limit, levels.get(0));
        if (belowFirstLevel && m.forecastFiredPeriod != period) {
            OptionalLong breach = gauge
                    ? Forecast.gaugeBreach(m.gaugeTimes, m.gaugeValues, limit, settings.forecastMinElapsedMillis)
                    : Forecast.deltaBreach(m.usage, limit, period, at, settings.forecastMinElapsedMillis);
            long horizon = at + settings.forecastHorizonMillis;
            if (!gauge) {
                horizon = Math.min(horizon, settings.usagePeriod.endOf(period));
            }
            String type = ExpansionSignalType.FORECAST_BREACH.name();
            if (breach.isPresent() && breach.getAsLong() <= horizon && cooldown.allows(a, type, 0, at)) {
                m.forecastFiredPeriod = period;
                cooldown.record(a, type, 0, at);
                r.expansionSignals.add(signals.expansion(a, health, new SignalFactory.Trigger(
                        ExpansionSignalType.FORECAST_BREACH, metric, null, m.usage, limit, breach.getAsLong(), null, null,
                        null, at, causeEventId, metric + "|" + period + "|" + limit + "#" + m.limitChanges), processedAt));
            }
        }
    }

    /**
     * A changed limit (plan change, live catalog) re-arms the levels above the utilisation the
     * metric had when the limit changed: they were spent against the old limit.
     */
    private long followLimit(AccountState a, String metric, MetricState m) {
        long limit = SubscriptionFacts.of(a, settings).limit(a, metric, m);
        if (limit != m.lastLimit) {
            thresholds.rearmAbove(levelsFor(a), m.usage, limit, m.firedInPeriod, m.disarmed);
            m.forecastFiredPeriod = 0;
            m.lastLimit = limit;
            m.limitChanges++;
        }
        return limit;
    }

    private void evaluateSeats(AccountState a, HealthAssessment health, EngineResult r, long at, String causeEventId,
            long processedAt) {
        int seats = SubscriptionFacts.of(a, settings).seats;
        if (seats <= 0 || a.activeUsers < 0) {
            return;
        }
        long period = settings.usagePeriod.startOf(a.activeUsersAt);
        String type = ExpansionSignalType.SEAT_THRESHOLD.name();
        Optional<Double> fired = thresholds.evaluate(settings.seatLevels, a.activeUsers, seats, true, period,
                a.seatLevelFiredInPeriod, a.seatLevelsDisarmed, level -> cooldown.allows(a, type, level, at));
        fired.ifPresent(level -> {
            cooldown.record(a, type, level, at);
            r.expansionSignals.add(signals.expansion(a, health, new SignalFactory.Trigger(
                    ExpansionSignalType.SEAT_THRESHOLD, SEATS, level, (long) a.activeUsers, (long) seats, null, null,
                    null, null, at, causeEventId, SEATS + "|" + ThresholdRule.key(level) + "|" + period + "|" + seats),
                    processedAt));
        });
    }

    private void evaluateFeatureGate(AccountState a, EngagementEvent e, HealthAssessment health, EngineResult r,
            long at, long processedAt) {
        String feature = e.getFeature();
        List<Long> hits = a.gateHits.get(feature).times;
        Long last = a.gateSignalledAt.get(feature);
        boolean recentlySignalled = last != null && Math.abs(at - last) < settings.featureGateWindowMillis;
        String type = ExpansionSignalType.FEATURE_GATE.name();
        if (hits.size() >= settings.featureGateHits && !recentlySignalled && cooldown.allows(a, type, 0, at)) {
            a.gateSignalledAt.put(SharedNames.of(feature), at);
            cooldown.record(a, type, 0, at);
            r.expansionSignals.add(signals.expansion(a, health, new SignalFactory.Trigger(
                    ExpansionSignalType.FEATURE_GATE, null, null, (long) hits.size(), null, null, null, feature,
                    e.getFeatureTier(), at, e.getEventId(), feature + "|" + e.getEventId()), processedAt));
        }
    }

    /**
     * Scores the account and raises BAND_DROP / SCORE_DROP risk signals on the way down, once the
     * account's onboarding is over ({@link EngineSettings#onboardingMillis}): a score that is still
     * forming is reported in snapshots, but its moves are not a fall from an established health.
     */
    private HealthAssessment assessAndWatchRisk(AccountState a, EngineResult r, long at, String causeEventId,
            long processedAt) {
        long now = Math.max(at, a.lastEventAt);
        HealthAssessment h = scorer.assess(a, now);
        HealthBand previous = a.band;
        if (h.score() != null) {
            long onboarded = onboardedAt(a);
            if (now >= onboarded) {
                watchRisk(a, h, previous, r, now, onboarded, at, causeEventId, processedAt);
            }
            ScoreHistory.remember(a, h.score(), now);
            a.band = h.band();
        }
        return h;
    }

    private void watchRisk(AccountState a, HealthAssessment h, HealthBand previous, EngineResult r, long now,
            long onboarded, long at, String causeEventId, long processedAt) {
        // Both risks re-arm only after a clear recovery (RISK_HYSTERESIS points), so a score
        // hovering at a boundary does not flap out a signal a day.
        if (h.band() == HealthBand.AT_RISK && previous != HealthBand.AT_RISK && previous != HealthBand.UNKNOWN
                && !a.atRiskSignalled) {
            a.atRiskSignalled = churnRisk(a, h, r, ChurnRiskType.BAND_DROP, previous, null, at, causeEventId, processedAt);
        } else if (h.score() >= settings.neutralFrom + RISK_HYSTERESIS) {
            a.atRiskSignalled = false;
        }
        Double high = ScoreHistory.recentHigh(a, now, onboarded);
        double drop = high == null ? 0 : HealthScorer.round1(high - h.score());
        if (drop >= settings.scoreDropPoints) {
            if (!a.scoreDropActive) {
                a.scoreDropActive = churnRisk(a, h, r, ChurnRiskType.SCORE_DROP, previous, drop, at, causeEventId,
                        processedAt);
            }
        } else if (drop < settings.scoreDropPoints - RISK_HYSTERESIS) {
            a.scoreDropActive = false;
        }
    }

    /**
     * When the account's score counts as established: its first subscription's start plus the
     * onboarding period; Long.MIN_VALUE when there is no onboarding period (every score counts);
     * Long.MAX_VALUE for an account that has never had a subscription: not a customer yet.
     */
    private long onboardedAt(AccountState a) {
        if (settings.onboardingMillis == 0) {
            return Long.MIN_VALUE;
        }
        return a.firstStartAt > 0 ? saturatedAdd(a.firstStartAt, settings.onboardingMillis) : Long.MAX_VALUE;
    }

    private boolean churnRisk(AccountState a, HealthAssessment h, EngineResult r, ChurnRiskType type,
            HealthBand previousBand, Double drop, long at, String causeEventId, long processedAt) {
        if (!cooldown.allows(a, type.name(), 0, at)) {
            return false;
        }
        cooldown.record(a, type.name(), 0, at);
        r.churnRiskSignals.add(signals.churnRisk(a, h, type, previousBand, drop, at, causeEventId, processedAt));
        return true;
    }

    private List<Double> levelsFor(AccountState a) {
        return SubscriptionFacts.of(a, settings).levels;
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : sum;
    }

    private static ExpansionSignalType typeOf(double level) {
        return level >= 1.0 ? ExpansionSignalType.LIMIT_REACHED : ExpansionSignalType.USAGE_THRESHOLD;
    }

    /** Emits a snapshot when something a consumer of account-health would see has changed. */
    private void finish(AccountState a, HealthAssessment h, EngineResult r) {
        SubscriptionFacts facts = SubscriptionFacts.of(a, settings);
        SubscriptionState main = facts.main;
        // What a reader of the compacted topic acts on: the business facts (MRR, band, plan, segment,
        // subscriptions, seats) exactly, and the drifting figures (score, utilisation) once they moved
        // by a step. Finer moves would make a snapshot of nearly every event, most of the job's
        // output, none of it actionable. Decided without building the snapshot: most events change
        // none of it. Active users and tenure ride along in the next snapshot.
        int utilisationSteps = 0;
        MetricArrays metrics = MetricArrays.of(a);
        for (int i = 0; i < metrics.states.length; i++) {
            MetricState m = metrics.states[i];
            long limit = facts.limit(a, metrics.names[i], m);
            if (limit > 0) { // a sum: the same whatever order the map iterates in
                long step = (long) Math.floor((double) m.usage / limit / settings.snapshotUtilisationStep);
                int nameHash = m.derivedNameHash;
                if (nameHash == 0) {
                    nameHash = metrics.names[i].hashCode();
                    m.derivedNameHash = nameHash;
                }
                utilisationSteps += nameHash * 31 + Long.hashCode(step);
            }
        }
        int fingerprint = Long.hashCode(a.mrrMinor);
        fingerprint = 31 * fingerprint + h.band().ordinal();
        fingerprint = 31 * fingerprint + utilisationSteps;
        fingerprint = 31 * fingerprint + facts.active;
        fingerprint = 31 * fingerprint + facts.seats;
        fingerprint = 31 * fingerprint + (a.segment == null ? -1 : a.segment.ordinal());
        fingerprint = 31 * fingerprint + facts.mainPlanHash;
        Double score = h.score();
        boolean scoreMoved = score == null ? a.lastSnapshotScore != null
                : a.lastSnapshotScore == null || Math.abs(score - a.lastSnapshotScore) >= settings.snapshotScoreStep;
        if (fingerprint == a.lastSnapshotFingerprint && !scoreMoved) {
            return;
        }
        a.lastSnapshotFingerprint = fingerprint;
        a.lastSnapshotScore = score;
        Integer tenure = a.firstStartAt > 0 ? (int) Math.max(0, (a.lastEventAt - a.firstStartAt) / DAY) : null;
        Map<String, Double> utilisation = new TreeMap<>();
        for (int i = 0; i < metrics.states.length; i++) {
            long limit = facts.limit(a, metrics.names[i], metrics.states[i]);
            if (limit > 0) {
                utilisation.put(metrics.names[i], Math.round(10_000.0 * metrics.states[i].usage / limit) / 10_000.0);
            }
        }
        r.snapshot = new AccountHealth(a.accountId, Instant.ofEpochMilli(a.lastEventAt), a.segment,
                main == null ? null : main.planId, a.mrrMinor, settings.fx.reportingCurrency(), facts.active, h.toSummary(),
                new TreeMap<>(h.components()), utilisation, facts.seats, a.activeUsers >= 0 ? a.activeUsers : null, tenure);
    }
}
