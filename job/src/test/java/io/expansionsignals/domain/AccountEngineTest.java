package io.expansionsignals.domain;

import static io.expansionsignals.testutils.Events.activeUsers;
import static io.expansionsignals.testutils.Events.created;
import static io.expansionsignals.testutils.Events.day;
import static io.expansionsignals.testutils.Events.delta;
import static io.expansionsignals.testutils.Events.gateHit;
import static io.expansionsignals.testutils.Events.gauge;
import static io.expansionsignals.testutils.Events.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import io.expansionsignals.schema.Channel;
import io.expansionsignals.schema.ExpansionSignal;
import io.expansionsignals.schema.ExpansionSignalType;
import io.expansionsignals.schema.Play;
import io.expansionsignals.schema.Priority;
import io.expansionsignals.schema.Segment;
import io.expansionsignals.schema.SubscriptionEventType;
import io.expansionsignals.testutils.Catalogs;
import io.expansionsignals.testutils.Events;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Expansion triggers end to end through the engine, with the standard catalog (starter: 10,000 api_calls). */
class AccountEngineTest {
    private static final long NOW = 0;
    private final EngineSettings withForecast = EngineSettings.builder().fx(Catalogs.fx()).catalog(Catalogs.standard()).build();
    /** Forecasts need 40 days of a period here, i.e. never: tests of other triggers see only their own signals. */
    private final EngineSettings settings = withForecast.toBuilder().forecastMinElapsed(Duration.ofDays(40)).build();
    private final AccountEngine engine = new AccountEngine(settings);
    private final AccountState acme = starter("acme");

    private AccountState starter(String id) {
        AccountState a = AccountEngine.newAccount(id);
        engine.onSubscription(a, created(id, day(0), 10_000, Map.of()), NOW);
        return a;
    }

    private List<ExpansionSignal> usage(long quantity, Instant at) {
        return engine.onUsage(acme, delta("acme", "api_calls", quantity, at), NOW).expansionSignals;
    }

    @Test
    void eightyPercentOfAPlanLimitIsAUsageThresholdSignalWithAnUpsellToTheNextTier() {
        assertThat(usage(7_999, day(2))).isEmpty();
        assertThat(usage(1, day(2))).singleElement().satisfies(s -> {
            assertThat(s.getType()).isEqualTo(ExpansionSignalType.USAGE_THRESHOLD);
            assertThat(s.getMetric()).isEqualTo("api_calls");
            assertThat(s.getLevel()).isEqualTo(0.8);
            assertThat(s.getUsage()).isEqualTo(8_000);
            assertThat(s.getLimit()).isEqualTo(10_000);
            assertThat(s.getUtilisation()).isEqualTo(0.8);
            assertThat(s.getPlay()).isEqualTo(Play.UPSELL);
            assertThat(s.getSuggestedPlanId()).isEqualTo("growth");
            assertThat(s.getMrrUpliftMinor()).isEqualTo(40_000);
            assertThat(s.getChannel()).isEqualTo(Channel.IN_APP);
            assertThat(s.getCurrentMrrMinor()).isEqualTo(10_000);
            assertThat(s.getTriggeredAt()).isEqualTo(day(2));
        });
    }

    @Test
    void reachingTheLimitIsLimitReachedWithHighPriority() {
        usage(8_000, day(2));
        assertThat(usage(2_000, day(2))).singleElement().satisfies(s -> {
            assertThat(s.getType()).isEqualTo(ExpansionSignalType.LIMIT_REACHED);
            assertThat(s.getLevel()).isEqualTo(1.0);
            assertThat(s.getPriority()).isEqualTo(Priority.HIGH);
        });
    }

    @Test
    void deltaUsageReArmsAtTheMonthlyRollover() {
        assertThat(usage(8_000, day(2))).hasSize(1); // January
        assertThat(usage(100, day(3))).isEmpty();
        assertThat(usage(8_000, Instant.parse("2026-02-02T00:00:00Z"))).singleElement()
                .satisfies(s -> assertThat(s.getUsage()).isEqualTo(8_000)); // February starts from zero
    }

    @Test
    void usageOfAClosedPeriodIsKeptOutOfTheCurrentOne() {
        usage(100, Instant.parse("2026-02-02T00:00:00Z"));
        EngineResult late = engine.onUsage(acme, delta("acme", "api_calls", 9_000, day(20)), NOW);
        assertThat(late.closedPeriod).isTrue();
        assertThat(late.expansionSignals).isEmpty();
        assertThat(acme.metrics.get("api_calls").usage).isEqualTo(100);
    }

    @Test
    void outOfOrderDeltasInThePeriodStillAddUp() {
        usage(5_000, day(6));
        assertThat(usage(3_000, day(4))).singleElement().satisfies(s -> assertThat(s.getUsage()).isEqualTo(8_000));
    }

    @Test
    void planUpgradeMidPeriodReEvaluatesAgainstTheNewLimit() {
        usage(9_000, day(2)); // 0.9 of starter
        List<ExpansionSignal> onUpgrade = engine.onSubscription(acme, subscription("acme", SubscriptionEventType.PLAN_CHANGED,
                day(3)).setPlanId("growth").setAmountMinor(50_000).build(), NOW).expansionSignals;
        assertThat(onUpgrade).isEmpty(); // 9,000 of 100,000
        assertThat(usage(71_000, day(4))).singleElement().satisfies(s -> {
            assertThat(s.getLevel()).isEqualTo(0.8);
            assertThat(s.getLimit()).isEqualTo(100_000);
            assertThat(s.getSuggestedPlanId()).isEqualTo("scale");
        });
    }

    @Test
    void aLimitChangedAndChangedBackInOnePeriodFiresAgainUnderANewId() {
        List<ExpansionSignal> fired = new ArrayList<>(usage(8_500, day(2))); // 0.8 of starter
        fired.addAll(engine.onSubscription(acme, subscription("acme", SubscriptionEventType.PLAN_CHANGED, day(3))
                .setPlanId("growth").setAmountMinor(50_000).build(), NOW).expansionSignals);
        fired.addAll(engine.onSubscription(acme, subscription("acme", SubscriptionEventType.PLAN_CHANGED, day(4))
                .setPlanId("starter").setAmountMinor(10_000).build(), NOW).expansionSignals); // back: 0.8 re-armed and crossed
        assertThat(fired).extracting(ExpansionSignal::getLevel).containsExactly(0.8, 0.8);
        assertThat(fired).extracting(ExpansionSignal::getSignalId).doesNotHaveDuplicates();
    }

    @Test
    void planDowngradeThatPutsUsageOverTheNewLimitFiresAtOnce() {
        AccountState a = AccountEngine.newAccount("down");
        engine.onSubscription(a, subscription("down", SubscriptionEventType.CREATED, day(0)).setPlanId("growth")
                .setAmountMinor(50_000).build(), NOW);
        engine.onUsage(a, delta("down", "api_calls", 12_000, day(2)), NOW);
        List<ExpansionSignal> s = engine.onSubscription(a, subscription("down", SubscriptionEventType.PLAN_CHANGED, day(3))
                .setPlanId("starter").setAmountMinor(10_000).build(), NOW).expansionSignals;
        assertThat(s).singleElement().satisfies(x -> assertThat(x.getType()).isEqualTo(ExpansionSignalType.LIMIT_REACHED));
    }

    @Test
    void anUnlimitedMetricNeverFires() {
        AccountState a = AccountEngine.newAccount("big");
        engine.onSubscription(a, subscription("big", SubscriptionEventType.CREATED, day(0)).setPlanId("scale")
                .setAmountMinor(200_000).build(), NOW);
        assertThat(engine.onUsage(a, delta("big", "api_calls", 10_000_000, day(1)), NOW).expansionSignals).isEmpty();
    }

    @Test
    void limitsCarriedOnTheEventWinOverTheCatalog() {
        AccountState a = AccountEngine.newAccount("custom");
        engine.onSubscription(a, created("custom", day(0), 10_000, Map.of("api_calls", 100L)), NOW);
        assertThat(engine.onUsage(a, delta("custom", "api_calls", 80, day(1)), NOW).expansionSignals).hasSize(1);
    }

    @Test
    void cooldownHoldsBackASecondSignalOfTheSameTypeButNeverAnEscalation() {
        engine.onSubscription(acme, subscription("acme", SubscriptionEventType.PLAN_CHANGED, day(1)).build(), NOW);
        assertThat(usage(8_000, day(2))).hasSize(1); // api_calls 0.8
        // storage_gb crossing 0.8 two hours later is the same type within 24 h: held back, stays armed
        List<ExpansionSignal> storage = engine.onUsage(acme, gauge("acme", "storage_gb", 80,
                day(2).plus(Duration.ofHours(2))), NOW).expansionSignals;
        assertThat(storage).isEmpty();
        // escalation to 0.9 on api_calls is never held back
        assertThat(usage(1_000, day(2).plus(Duration.ofHours(3)))).singleElement()
                .satisfies(s -> assertThat(s.getLevel()).isEqualTo(0.9));
        // after the cooldown the held-back storage level fires on the next reading
        assertThat(engine.onUsage(acme, gauge("acme", "storage_gb", 81, day(4)), NOW).expansionSignals)
                .singleElement().satisfies(s -> {
                    assertThat(s.getMetric()).isEqualTo("storage_gb");
                    assertThat(s.getLevel()).isEqualTo(0.8);
                });
    }

    @Test
    void seatsCloseToPurchasedAreASeatExpansion() {
        List<ExpansionSignal> s = engine.onEngagement(acme, activeUsers("acme", 9, day(3)), NOW).expansionSignals;
        assertThat(s).singleElement().satisfies(x -> {
            assertThat(x.getType()).isEqualTo(ExpansionSignalType.SEAT_THRESHOLD);
            assertThat(x.getPlay()).isEqualTo(Play.SEAT_EXPANSION);
            assertThat(x.getUsage()).isEqualTo(9);
            assertThat(x.getLimit()).isEqualTo(10);
            assertThat(x.getMrrUpliftMinor()).isEqualTo(1_000); // one more seat at 10,000 / 10
        });
        assertThat(engine.onEngagement(acme, activeUsers("acme", 12, day(3).plusSeconds(60)), NOW).expansionSignals)
                .singleElement().satisfies(x -> {
                    assertThat(x.getLevel()).isEqualTo(1.0);
                    assertThat(x.getMrrUpliftMinor()).isEqualTo(2_000);
                    assertThat(x.getPriority()).isEqualTo(Priority.HIGH);
                });
    }

    @Test
    void repeatedPremiumFeatureRequestsAreAFeatureGateSignal() {
        assertThat(engine.onEngagement(acme, gateHit("acme", "dashboards", "analytics", day(1)), NOW).expansionSignals).isEmpty();
        assertThat(engine.onEngagement(acme, gateHit("acme", "dashboards", "analytics", day(5)), NOW).expansionSignals).isEmpty();
        List<ExpansionSignal> third = engine.onEngagement(acme, gateHit("acme", "dashboards", "analytics", day(9)), NOW)
                .expansionSignals;
        assertThat(third).singleElement().satisfies(s -> {
            assertThat(s.getType()).isEqualTo(ExpansionSignalType.FEATURE_GATE);
            assertThat(s.getFeature()).isEqualTo("dashboards");
            assertThat(s.getPlay()).isEqualTo(Play.CROSS_SELL); // "analytics" is an add-on in the catalog
            assertThat(s.getMrrUpliftMinor()).isEqualTo(20_000);
        });
        assertThat(engine.onEngagement(acme, gateHit("acme", "dashboards", "analytics", day(10)), NOW).expansionSignals)
                .isEmpty(); // once per window
    }

    @Test
    void gateHitsOutsideTheWindowDoNotCount() {
        engine.onEngagement(acme, gateHit("acme", "sso", "growth", day(1)), NOW);
        engine.onEngagement(acme, gateHit("acme", "sso", "growth", day(20)), NOW);
        assertThat(engine.onEngagement(acme, gateHit("acme", "sso", "growth", day(40)), NOW).expansionSignals).isEmpty();
        assertThat(engine.onEngagement(acme, gateHit("acme", "sso", "growth", day(41)), NOW).expansionSignals)
                .singleElement().satisfies(s -> {
                    assertThat(s.getPlay()).isEqualTo(Play.UPSELL);
                    assertThat(s.getSuggestedPlanId()).isEqualTo("growth");
                });
    }

    @Test
    void forecastFiresWhenTheRunRateBreachesTheLimitBeforeThePeriodEnds() {
        AccountEngine engine = new AccountEngine(withForecast);
        // 4,000 api_calls by Jan 6 10:00 (5.4 days into a 31-day month): the limit falls around Jan 14.
        List<ExpansionSignal> s = engine.onUsage(acme, delta("acme", "api_calls", 4_000, day(1)), NOW).expansionSignals;
        assertThat(s).singleElement().satisfies(x -> {
            assertThat(x.getType()).isEqualTo(ExpansionSignalType.FORECAST_BREACH);
            assertThat(x.getProjectedBreachAt()).isBetween(Instant.parse("2026-01-14T00:00:00Z"),
                    Instant.parse("2026-01-15T00:00:00Z"));
            assertThat(x.getPriority()).isEqualTo(Priority.MEDIUM);
        });
        assertThat(engine.onUsage(acme, delta("acme", "api_calls", 100, day(2)), NOW).expansionSignals).isEmpty();
    }

    @Test
    void slowUsageDoesNotForecastABreach() {
        AccountEngine engine = new AccountEngine(withForecast);
        // ~1,600 by month end
        assertThat(engine.onUsage(acme, delta("acme", "api_calls", 1_000, day(10)), NOW).expansionSignals).isEmpty();
    }

    @Test
    void aRisingGaugeForecastsTheDayItReachesItsLimit() {
        AccountEngine engine = new AccountEngine(withForecast);
        List<ExpansionSignal> s = new ArrayList<>();
        for (int d = 1; d <= 6; d++) { // storage_gb: 10, 20, ... 60 of 100: +10 a day
            s.addAll(engine.onUsage(acme, gauge("acme", "storage_gb", 10L * d, day(d)), NOW).expansionSignals);
        }
        // fires once, as soon as three days of readings show the trend (day 4), and not again
        assertThat(s).singleElement().satisfies(x -> {
            assertThat(x.getTriggeredAt()).isEqualTo(day(4));
            assertThat(x.getType()).isEqualTo(ExpansionSignalType.FORECAST_BREACH);
            assertThat(x.getProjectedBreachAt()).isEqualTo(day(10));
        });
    }

    @Test
    void anAtRiskAccountGetsRetentionFirstInsteadOfAnUpsell() {
        acme.paymentSeen = true;
        acme.openPaymentFailures = 3;
        acme.npsScore = 0;
        acme.sentiment = -1.0;
        List<ExpansionSignal> s = usage(8_000, day(2));
        assertThat(s).singleElement().satisfies(x -> {
            assertThat(x.getHealth().getBand().name()).isEqualTo("AT_RISK");
            assertThat(x.getPlay()).isEqualTo(Play.RETENTION_FIRST);
            assertThat(x.getSuggestedPlanId()).isNull();
        });
    }

    @Test
    void aNewUsagePeriodDoesNotMakeABusyAccountLookIdle() {
        usage(7_000, day(20)); // January: 7,000 of 10,000, as a customer since the 5th, 10:00
        var feb = engine.onUsage(acme, delta("acme", "api_calls", 10, Instant.parse("2026-02-01T01:00:00Z")), NOW);
        // the raw February usage is 10 (0.1 %); the health component keeps January's pace:
        // 7,000 over the 638 of its 744 hours acme was a customer, 8,163 a month, 81.6 %
        assertThat(feb.snapshot.getComponents()).containsEntry("usage_utilisation", 81.6);
    }

    @Test
    void aSignUpInTheMiddleOfTheMonthIsScoredAtItsPaceSinceSigningUp() {
        usage(1_000, day(5)); // acme signed up on January 5th: five days of the month's 31 behind this usage
        // 1,000 x 31 / 5 = 6,200 a month, 62 % of the plan's 10,000 (measured from the 1st it would be 33 %)
        assertThat(utilisationAt(day(5))).isEqualTo(62.0);
    }

    @Test
    void aNewCustomersFirstHoursDoNotMakeItsUtilisationLookIdle() {
        usage(300, day(0).plusSeconds(2 * 3_600));
        // two hours in, a pace would say 3 % of the plan: no utilisation yet (left out of the score, not 0)
        assertThat(utilisationAt(day(0).plusSeconds(2 * 3_600))).isNull();
        assertThat(utilisationAt(day(3))).isNull();
        // from a tenth of the month on (3.1 days) the pace counts: 300 over 6.2 days of 31 is 1,500 a month
        assertThat(utilisationAt(day(0).plusSeconds(535_680))).isEqualTo(15.0);
    }

    private Double utilisationAt(Instant at) {
        return new HealthScorer(settings).assess(acme, at.toEpochMilli()).components().get("usage_utilisation");
    }

    @Test
    void enterpriseAccountsGetACsmCallOneStepMoreUrgent() {
        AccountState a = AccountEngine.newAccount("ent");
        engine.onSubscription(a, subscription("ent", SubscriptionEventType.CREATED, day(0)).setSegment(Segment.ENTERPRISE)
                .build(), NOW);
        List<ExpansionSignal> s = engine.onUsage(a, delta("ent", "api_calls", 8_000, day(2)), NOW).expansionSignals;
        assertThat(s).singleElement().satisfies(x -> {
            assertThat(x.getChannel()).isEqualTo(Channel.CSM_CALL);
            assertThat(x.getPriority()).isEqualTo(Priority.MEDIUM);
        });
    }

    @Test
    void signalIdsAreTheSameOnEveryReplayOfTheSameInput() {
        List<Object> events = List.of(
                created("r", day(0), 10_000, Map.of()),
                delta("r", "api_calls", 8_500, day(2)),
                activeUsers("r", 10, day(3)),
                delta("r", "api_calls", 2_000, day(4)));
        assertThat(replay(events)).isEqualTo(replay(events)).hasSize(3);
    }

    private List<String> replay(List<Object> events) {
        AccountEngine fresh = new AccountEngine(settings);
        AccountState a = AccountEngine.newAccount("r");
        List<String> ids = new ArrayList<>();
        for (Object e : events) {
            EngineResult r = e instanceof io.expansionsignals.schema.SubscriptionEvent s ? fresh.onSubscription(a, s, 1)
                    : e instanceof io.expansionsignals.schema.UsageEvent u ? fresh.onUsage(a, u, 2)
                    : fresh.onEngagement(a, (io.expansionsignals.schema.EngagementEvent) e, 3);
            r.expansionSignals.forEach(s -> ids.add(s.getSignalId()));
        }
        return ids;
    }

    @Test
    void aHealthSnapshotIsEmittedOnlyWhenAFactChangedOrAFigureMovedAStep() {
        // the score step out of the way, to see the utilisation step alone
        AccountEngine engine = new AccountEngine(settings.toBuilder().snapshotScoreStep(100).snapshotUtilisationStep(0.05).build());
        assertThat(engine.onUsage(acme, delta("acme", "api_calls", 100, day(1)), NOW).snapshot).isNotNull();
        assertThat(engine.onUsage(acme, delta("acme", "api_calls", 0, day(1)), NOW).snapshot).isNull();
        // more calls within the same 5 % utilisation step: no new snapshot; into the next step: one
        assertThat(engine.onUsage(acme, delta("acme", "api_calls", 300, day(1)), NOW).snapshot).isNull();
        assertThat(engine.onUsage(acme, delta("acme", "api_calls", 200, day(1)), NOW).snapshot)
                .satisfies(h -> assertThat(h.getUtilisation()).containsEntry("api_calls", 0.06));
        // a fact: seats bought
        assertThat(engine.onSubscription(acme, subscription("acme", SubscriptionEventType.QUANTITY_CHANGED, day(1))
                .setQuantity(7).build(), NOW).snapshot).satisfies(h -> assertThat(h.getSeatsPurchased()).isEqualTo(7));
    }

    @Test
    void aScoreMoveBelowTheStepWaitsAndOneAtTheStepIsEmitted() {
        AccountEngine engine = new AccountEngine(settings.toBuilder().snapshotUtilisationStep(10).snapshotScoreStep(6).build());
        acme.sentiment = 0.0;
        engine.onEngagement(acme, Events.nps("acme", 6, day(1)), NOW);
        double last = acme.lastSnapshotScore; // of whichever event emitted last
        int emitted = 0;
        int held = 0;
        for (int nps = 7; nps <= 9; nps++) { // 10 would reach HEALTHY: a band change, always emitted
            var r = engine.onEngagement(acme, Events.nps("acme", nps, day(1)), NOW);
            double score = new HealthScorer(settings).assess(acme, day(1).toEpochMilli()).score();
            if (Math.abs(score - last) >= 6) { // each NPS point moves this account's score 4 points
                assertThat(r.snapshot).as("score %s after %s", score, last).isNotNull();
                last = score;
                emitted++;
            } else {
                assertThat(r.snapshot).as("score %s after %s", score, last).isNull();
                held++;
            }
        }
        assertThat(emitted).as("moves at the step").isPositive();
        assertThat(held).as("moves below the step").isPositive();
    }
}
