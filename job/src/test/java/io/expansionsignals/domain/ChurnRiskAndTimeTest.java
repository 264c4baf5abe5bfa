package io.expansionsignals.domain;

import static io.expansionsignals.testutils.Events.created;
import static io.expansionsignals.testutils.Events.day;
import static io.expansionsignals.testutils.Events.nps;
import static io.expansionsignals.testutils.Events.paymentFailed;
import static io.expansionsignals.testutils.Events.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import io.expansionsignals.schema.BillingInterval;
import io.expansionsignals.schema.ChurnRiskSignal;
import io.expansionsignals.schema.ChurnRiskType;
import io.expansionsignals.schema.ExpansionSignal;
import io.expansionsignals.schema.HealthBand;
import io.expansionsignals.schema.MovementType;
import io.expansionsignals.schema.Play;
import io.expansionsignals.schema.SubscriptionEventType;
import io.expansionsignals.testutils.Catalogs;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Churn-risk signals, milestones, renewals, scheduled cancellations and expiry: everything time drives. */
class ChurnRiskAndTimeTest {
    /** Onboarding as the job has it by default (14 days). */
    private final EngineSettings defaults = EngineSettings.builder().fx(Catalogs.fx()).catalog(Catalogs.standard()).build();
    /** The risk rules themselves, watched from an account's first event; the onboarding has tests of its own. */
    private final EngineSettings settings = defaults.toBuilder().onboardingPeriod(Duration.ZERO).build();
    private final AccountEngine engine = new AccountEngine(settings);

    private AccountState account() {
        AccountState a = AccountEngine.newAccount("acme");
        engine.onSubscription(a, created("acme", day(0), 10_000, Map.of()), 0);
        return a;
    }

    @Test
    void aPaymentFailureIsAChurnRiskSignalWithARetentionPlay() {
        AccountState a = account();
        List<ChurnRiskSignal> s = engine.onEngagement(a, paymentFailed("acme", day(3)), 0).churnRiskSignals;
        assertThat(s).singleElement().satisfies(x -> {
            assertThat(x.getType()).isEqualTo(ChurnRiskType.PAYMENT_FAILURE);
            assertThat(x.getPlay()).isEqualTo(Play.RETENTION_FIRST);
        });
        // the payment processor retries an hour later: one payment-failure signal a day is enough
        assertThat(engine.onEngagement(a, paymentFailed("acme", day(3).plusSeconds(3600)), 0).churnRiskSignals)
                .extracting(ChurnRiskSignal::getType).doesNotContain(ChurnRiskType.PAYMENT_FAILURE);
    }

    @Test
    void fallingIntoAtRiskIsABandDrop() {
        AccountState a = account();
        engine.onEngagement(a, nps("acme", 6, day(1)), 0); // only nps: 60, NEUTRAL
        assertThat(a.band).isEqualTo(HealthBand.NEUTRAL);
        List<ChurnRiskSignal> s = engine.onEngagement(a, nps("acme", 2, day(2)), 0).churnRiskSignals;
        assertThat(s).extracting(ChurnRiskSignal::getType).contains(ChurnRiskType.BAND_DROP);
        assertThat(s).filteredOn(x -> x.getType() == ChurnRiskType.BAND_DROP).singleElement()
                .satisfies(x -> assertThat(x.getPreviousBand()).isEqualTo(HealthBand.NEUTRAL));
    }

    @Test
    void aScoreHoveringAtTheAtRiskBoundaryIsOneBandDropNotOneADay() {
        AccountState a = AccountEngine.newAccount("hover");
        List<ChurnRiskSignal> drops = new java.util.ArrayList<>();
        int[] nps = {5, 3, 4, 3, 4, 3, 4, 3, 6, 3}; // nps only: 50, 30, 40, 30, ... 60, 30
        for (int d = 0; d < nps.length; d++) {
            drops.addAll(engine.onEngagement(a, nps("hover", nps[d], day(2 * d)), 0).churnRiskSignals.stream()
                    .filter(s -> s.getType() == ChurnRiskType.BAND_DROP).toList());
        }
        // 50 -> 30 fires; 40 (NEUTRAL, but not 45+) and back to 30 does not; 60 re-arms, 30 fires again
        assertThat(drops).extracting(s -> s.getTriggeredAt()).containsExactly(day(2), day(18));
    }

    @Test
    void aDropOfFifteenPointsInThirtyDaysIsAScoreDropOnce() {
        AccountState a = account();
        engine.onEngagement(a, nps("acme", 10, day(1)), 0); // tenure + nps
        double high = ScoreHistory.recentHigh(a, day(1).toEpochMilli());
        List<ChurnRiskSignal> s = engine.onEngagement(a, nps("acme", 7, day(5)), 0).churnRiskSignals;
        assertThat(s).singleElement().satisfies(x -> {
            assertThat(x.getType()).isEqualTo(ChurnRiskType.SCORE_DROP);
            assertThat(x.getScoreDrop()).isGreaterThanOrEqualTo(15.0);
            assertThat(x.getHealth().getScore()).isEqualTo(high - x.getScoreDrop(), org.assertj.core.data.Offset.offset(0.11));
        });
        assertThat(engine.onEngagement(a, nps("acme", 6, day(8)), 0).churnRiskSignals).isEmpty(); // still the same drop
    }

    @Test
    void aNewAccountsScoreFormsWithoutChurnRiskUntilItsOnboardingIsOver() {
        AccountEngine onboarding = new AccountEngine(defaults);
        AccountState a = AccountEngine.newAccount("new");
        onboarding.onSubscription(a, created("new", day(0), 10_000, Map.of()), 0);
        List<ChurnRiskSignal> risks = new java.util.ArrayList<>();
        risks.addAll(onboarding.onEngagement(a, nps("new", 10, day(1)), 0).churnRiskSignals); // 83.4, HEALTHY
        EngineResult low = onboarding.onEngagement(a, nps("new", 2, day(3)), 0); // 30.2: down 53 points, AT_RISK
        risks.addAll(low.churnRiskSignals);
        assertThat(risks).isEmpty();
        assertThat(low.snapshot.getHealth().getBand()).isEqualTo(HealthBand.AT_RISK); // reported all the same
        // a payment failure is no forming score: raised from the start
        assertThat(onboarding.onEngagement(a, paymentFailed("new", day(4)), 0).churnRiskSignals)
                .extracting(ChurnRiskSignal::getType).containsExactly(ChurnRiskType.PAYMENT_FAILURE);
    }

    @Test
    void afterOnboardingAFallIsARiskMeasuredFromScoresSinceOnboarding() {
        AccountEngine onboarding = new AccountEngine(defaults);
        AccountState a = AccountEngine.newAccount("new");
        onboarding.onSubscription(a, created("new", day(0), 10_000, Map.of()), 0);
        onboarding.onEngagement(a, nps("new", 10, day(1)), 0); // 83.4 in onboarding
        assertThat(onboarding.onEngagement(a, nps("new", 7, day(16)), 0).churnRiskSignals).isEmpty(); // 64.1, NEUTRAL
        List<ChurnRiskSignal> s = onboarding.onEngagement(a, nps("new", 2, day(17)), 0).churnRiskSignals; // 30.8
        assertThat(s).extracting(ChurnRiskSignal::getType)
                .containsExactlyInAnyOrder(ChurnRiskType.BAND_DROP, ChurnRiskType.SCORE_DROP);
        // the drop from day 16's 64.1, not from the 83.4 of the onboarding
        assertThat(s).filteredOn(x -> x.getType() == ChurnRiskType.SCORE_DROP).singleElement()
                .satisfies(x -> assertThat(x.getScoreDrop()).isEqualTo(33.3));
    }

    @Test
    void anAccountThatNeverSubscribedIsNotWatchedForRisk() {
        AccountEngine onboarding = new AccountEngine(defaults);
        AccountState a = AccountEngine.newAccount("prospect");
        onboarding.onEngagement(a, nps("prospect", 10, day(1)), 0);
        assertThat(onboarding.onEngagement(a, nps("prospect", 1, day(40)), 0).churnRiskSignals).isEmpty();
    }

    @Test
    void tenureMilestonesFireOnTheirDayAndOnlyOnce() {
        AccountState a = account();
        long wake = engine.nextWakeUp(a);
        assertThat(wake).isEqualTo(day(30).toEpochMilli());
        List<ExpansionSignal> s = engine.onTime(a, wake, 0).expansionSignals;
        assertThat(s).singleElement().satisfies(x -> {
            assertThat(x.getMilestone()).isEqualTo(Milestones.DAY_30);
            assertThat(x.getPlay()).isEqualTo(Play.CHECK_IN);
            assertThat(x.getTriggeredAt()).isEqualTo(day(30));
        });
        assertThat(engine.onTime(a, wake, 0).expansionSignals).isEmpty();
        assertThat(engine.nextWakeUp(a)).isEqualTo(day(90).toEpochMilli());
    }

    @Test
    void milestonesLongPastWhenDiscoveredAreSkippedNotSentLate() {
        AccountState a = AccountEngine.newAccount("old");
        engine.onSubscription(a, subscription("old", SubscriptionEventType.CREATED, day(400)).setStartDate(day(0)).build(), 0);
        List<ExpansionSignal> s = engine.onTime(a, day(400).toEpochMilli(), 0).expansionSignals;
        assertThat(s).isEmpty();
        assertThat(a.firedMilestones).hasSize(3);
    }

    @Test
    void renewalPreparationStartsNinetyDaysBeforeTheRenewalOfAYearlyTerm() {
        AccountState a = AccountEngine.newAccount("ren");
        engine.onSubscription(a, subscription("ren", SubscriptionEventType.CREATED, day(400)).setStartDate(day(0))
                .setBillingInterval(BillingInterval.YEARLY).setRenewalDate(day(500)).build(), 0);
        engine.onTime(a, day(400).toEpochMilli(), 0); // skips stale tenure milestones
        assertThat(engine.nextWakeUp(a)).isEqualTo(day(410).toEpochMilli());
        assertThat(engine.onTime(a, day(410).toEpochMilli(), 0).expansionSignals).singleElement()
                .satisfies(x -> assertThat(x.getMilestone()).isEqualTo(Milestones.RENEWAL_PREP));
    }

    @Test
    void monthlyAndQuarterlyTermsRenewWithoutAPreparationOrATimerForIt() {
        for (BillingInterval interval : List.of(BillingInterval.MONTHLY, BillingInterval.QUARTERLY)) {
            AccountState a = AccountEngine.newAccount("short");
            // the renewal a term away: 90 days before it is already past when the term starts
            engine.onSubscription(a, subscription("short", SubscriptionEventType.CREATED, day(400)).setStartDate(day(0))
                    .setBillingInterval(interval).setRenewalDate(day(430)).build(), 0);
            engine.onTime(a, day(400).toEpochMilli(), 0); // skips stale tenure milestones
            assertThat(engine.nextWakeUp(a)).as("%s", interval).isEqualTo(Long.MAX_VALUE);
            assertThat(engine.onTime(a, day(429).toEpochMilli(), 0).expansionSignals).as("%s", interval).isEmpty();
            assertThat(a.firedMilestones).as("%s", interval).noneMatch(k -> k.startsWith(Milestones.RENEWAL_PREP));
        }
    }

    @Test
    void aTeamCanAskForThePreparationOfEveryMonthlyRenewal() {
        AccountEngine everyRenewal = new AccountEngine(settings.toBuilder().renewalPrepMinInterval(BillingInterval.MONTHLY).build());
        AccountState a = AccountEngine.newAccount("short");
        everyRenewal.onSubscription(a, subscription("short", SubscriptionEventType.CREATED, day(400)).setStartDate(day(0))
                .setBillingInterval(BillingInterval.MONTHLY).setRenewalDate(day(430)).build(), 0);
        assertThat(everyRenewal.onTime(a, day(400).toEpochMilli(), 0).expansionSignals).singleElement() // due on day 340
                .satisfies(x -> assertThat(x.getMilestone()).isEqualTo(Milestones.RENEWAL_PREP));
    }

    @Test
    void theScheduledCancellationTakesEffectOnTheTimer() {
        AccountState a = account();
        engine.onSubscription(a, subscription("acme", SubscriptionEventType.CANCELLATION_SCHEDULED, day(10))
                .setEffectiveAt(day(20)).build(), 0);
        assertThat(engine.nextWakeUp(a)).isEqualTo(day(20).toEpochMilli());
        EngineResult r = engine.onTime(a, day(20).toEpochMilli(), 0);
        assertThat(r.movements).singleElement().satisfies(m -> assertThat(m.getType()).isEqualTo(MovementType.CHURN));
        assertThat(r.snapshot.getMrrMinor()).isZero();
    }

    @Test
    void anAccountWithAnActiveSubscriptionNeverExpiresHoweverQuiet() {
        AccountState a = account();
        a.firedMilestones.addAll(List.of("x")); // irrelevant
        for (String m : List.of(Milestones.DAY_30, Milestones.DAY_90, Milestones.DAY_180)) {
            a.firedMilestones.add(m + "|" + a.firstStartAt);
        }
        assertThat(engine.nextWakeUp(a)).isEqualTo(Long.MAX_VALUE);
        assertThat(engine.onTime(a, day(3_000).toEpochMilli(), 0).expire).isFalse();
    }

    @Test
    void anAccountWithoutSubscriptionExpiresAfterTheQuietTime() {
        AccountState a = account();
        engine.onSubscription(a, subscription("acme", SubscriptionEventType.CANCELED, day(10)).build(), 0);
        long expiry = day(10).toEpochMilli() + settings.quietAccountExpiryMillis;
        assertThat(engine.nextWakeUp(a)).isEqualTo(expiry);
        assertThat(engine.onTime(a, expiry - 1, 0).expire).isFalse();
        assertThat(engine.onTime(a, expiry, 0).expire).isTrue();
    }
}
