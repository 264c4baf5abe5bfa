package io.expansionsignals.domain;

import io.expansionsignals.schema.ChurnRiskSignal;
import io.expansionsignals.schema.ChurnRiskType;
import io.expansionsignals.schema.ExpansionSignal;
import io.expansionsignals.schema.ExpansionSignalType;
import io.expansionsignals.schema.HealthBand;
import java.time.Instant;

/** Builds the output envelopes: the trigger's facts plus MRR, health and the recommendation. */
final class SignalFactory {
    private final EngineSettings settings;
    private final PlayAdvisor advisor;

    SignalFactory(EngineSettings settings) {
        this.settings = settings;
        this.advisor = new PlayAdvisor(settings);
    }

    /** Facts of one expansion trigger; optional ones are null. */
    record Trigger(
            ExpansionSignalType type, String metric, Double level, Long usage, Long limit, Long projectedBreachAt,
            String milestone, String feature, String featureTier, long at, String causeEventId, String identity) {}

    ExpansionSignal expansion(AccountState a, HealthAssessment health, Trigger t, long processedAt) {
        Recommendation r = advisor.forExpansion(a, t.type(), t.level() == null ? 0 : t.level(), t.featureTier(),
                t.milestone(), health.band());
        SubscriptionState main = PlayAdvisor.mainSubscription(a);
        return ExpansionSignal.newBuilder()
                .setSignalId(SignalIds.of(a.accountId, t.type(), t.identity()))
                .setAccountId(a.accountId)
                .setType(t.type())
                .setMetric(t.metric())
                .setLevel(t.level())
                .setUsage(t.usage())
                .setLimit(t.limit())
                .setUtilisation(t.usage() == null || t.limit() == null || t.limit() == 0 ? null
                        : Math.round(10_000.0 * t.usage() / t.limit()) / 10_000.0)
                .setProjectedBreachAt(t.projectedBreachAt() == null ? null : Instant.ofEpochMilli(t.projectedBreachAt()))
                .setMilestone(t.milestone())
                .setFeature(t.feature())
                .setSegment(a.segment)
                .setPlanId(main == null ? null : main.planId)
                .setCurrentMrrMinor(a.mrrMinor)
                .setReportingCurrency(settings.fx.reportingCurrency())
                .setHealth(health.toSummary())
                .setPlay(r.play())
                .setSuggestedPlanId(r.suggestedPlanId())
                .setMrrUpliftMinor(r.mrrUpliftMinor())
                .setChannel(r.channel())
                .setPriority(r.priority())
                .setTriggeredAt(Instant.ofEpochMilli(t.at()))
                .setProcessedAt(Instant.ofEpochMilli(processedAt))
                .setCauseEventId(t.causeEventId())
                .build();
    }

    ChurnRiskSignal churnRisk(AccountState a, HealthAssessment health, ChurnRiskType type, HealthBand previousBand,
            Double scoreDrop, long at, String causeEventId, long processedAt) {
        Recommendation r = advisor.forChurnRisk(a, type);
        SubscriptionState main = PlayAdvisor.mainSubscription(a);
        return ChurnRiskSignal.newBuilder()
                .setSignalId(SignalIds.of(a.accountId, type, causeEventId == null ? at : causeEventId))
                .setAccountId(a.accountId)
                .setType(type)
                .setPreviousBand(previousBand)
                .setScoreDrop(scoreDrop)
                .setSegment(a.segment)
                .setPlanId(main == null ? null : main.planId)
                .setCurrentMrrMinor(a.mrrMinor)
                .setReportingCurrency(settings.fx.reportingCurrency())
                .setHealth(health.toSummary())
                .setPlay(r.play())
                .setChannel(r.channel())
                .setPriority(r.priority())
                .setTriggeredAt(Instant.ofEpochMilli(at))
                .setProcessedAt(Instant.ofEpochMilli(processedAt))
                .setCauseEventId(causeEventId)
                .build();
    }
}
