package io.expansionsignals.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.expansionsignals.schema.SubscriptionEventType;
import io.expansionsignals.testutils.Catalogs;
import io.expansionsignals.testutils.Events;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The derived subscription facts are kept between events: each test changes what they derive
 * from through the engine's own paths and checks the next read sees the change, against the
 * uncached computation ({@link Limits#of}, {@link AccountState#purchasedSeats}).
 */
class SubscriptionFactsTest {
    private final EngineSettings settings = EngineSettings.builder().fx(Catalogs.fx()).catalog(Catalogs.standard()).build();
    private final AccountEngine engine = new AccountEngine(settings);

    /** One metric for the whole test: a limit cached on it under stale facts would show. */
    private final MetricState apiCalls = new MetricState();

    private long apiCallsLimit(SubscriptionFacts facts, AccountState a) {
        return facts.limit(a, "api_calls", apiCalls);
    }

    private AccountState starter() {
        AccountState a = AccountEngine.newAccount("acme");
        engine.onSubscription(a, Events.created("acme", Events.day(0), 10_000, Map.of()), 0);
        return a;
    }

    @Test
    void factsFollowAPlanAndQuantityChange() {
        AccountState a = starter();
        SubscriptionFacts before = SubscriptionFacts.of(a, settings);
        assertThat(apiCallsLimit(before, a)).isEqualTo(10_000L);
        assertThat(before.seats).isEqualTo(10);

        engine.onSubscription(a, Events.subscription("acme", SubscriptionEventType.PLAN_CHANGED, Events.day(3))
                .setPlanId("growth").setQuantity(25).build(), 0);

        SubscriptionFacts after = SubscriptionFacts.of(a, settings);
        assertThat(apiCallsLimit(after, a)).isEqualTo(100_000L).isEqualTo(Limits.of(a, "api_calls", settings.catalog));
        assertThat(after.seats).isEqualTo(25).isEqualTo(a.purchasedSeats());
        assertThat(after.main.planId).isEqualTo("growth");
    }

    @Test
    void aCancellationTakingEffectOnATimerEndsTheActiveSubscription() {
        AccountState a = starter();
        assertThat(SubscriptionFacts.of(a, settings).active).isEqualTo(1);
        engine.onSubscription(a, Events.subscription("acme", SubscriptionEventType.CANCELLATION_SCHEDULED, Events.day(2))
                .setEffectiveAt(Events.day(10)).build(), 0);
        assertThat(SubscriptionFacts.of(a, settings).active).isEqualTo(1); // scheduled, not yet effective

        engine.onTime(a, Events.day(10).toEpochMilli(), 0);

        SubscriptionFacts facts = SubscriptionFacts.of(a, settings);
        assertThat(facts.active).isZero();
        assertThat(facts.main).isNull();
        assertThat(apiCallsLimit(facts, a)).isEqualTo(Limits.NONE);
    }

    @Test
    void aNewCatalogReplacesLimitsAndLevels() {
        AccountState a = starter();
        assertThat(apiCallsLimit(SubscriptionFacts.of(a, settings), a)).isEqualTo(10_000L);
        PlanCatalog raised = new PlanCatalog(2, List.of(
                new Plan("starter", 1, 10_000, "USD", Map.of("api_calls", 20_000L), null, List.of(0.5, 1.0))), List.of());
        EngineSettings live = settings.withCatalog(raised, Catalogs.fx());

        SubscriptionFacts facts = SubscriptionFacts.of(a, live);

        assertThat(apiCallsLimit(facts, a)).isEqualTo(20_000L);
        assertThat(facts.levels).containsExactly(0.5, 1.0);
        assertThat(apiCallsLimit(SubscriptionFacts.of(a, settings), a)).isEqualTo(10_000L);
    }

    @Test
    void aPlanChangeRaisesTheLimitThresholdsAreEvaluatedAgainst() {
        AccountState a = starter();
        engine.onUsage(a, Events.delta("acme", "api_calls", 5_000, Events.day(1)), 0); // 50 % of starter's 10,000
        engine.onSubscription(a, Events.subscription("acme", SubscriptionEventType.PLAN_CHANGED, Events.day(2))
                .setPlanId("growth").build(), 0);

        // 9,000 more: 140 % of the old limit, 14 % of growth's 100,000; a stale limit would fire LIMIT_REACHED
        EngineResult r = engine.onUsage(a, Events.delta("acme", "api_calls", 9_000, Events.day(3)), 0);

        assertThat(r.expansionSignals).noneMatch(s -> Long.valueOf(10_000L).equals(s.getLimit()));
        assertThat(a.metrics.get("api_calls").lastLimit).isEqualTo(100_000L);
    }
}
