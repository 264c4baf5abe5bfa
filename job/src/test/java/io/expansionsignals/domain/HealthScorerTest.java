package io.expansionsignals.domain;

import static io.expansionsignals.testutils.Events.day;
import static org.assertj.core.api.Assertions.assertThat;

import io.expansionsignals.schema.HealthBand;
import io.expansionsignals.schema.HealthReason;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthScorerTest {
    private final HealthScorer scorer = new HealthScorer(EngineSettings.defaults());
    private final long now = day(100).toEpochMilli();

    @Test
    void noDataMeansNoScoreAndUnknownBand() {
        HealthAssessment h = scorer.assess(AccountEngine.newAccount("a"), now);
        assertThat(h.score()).isNull();
        assertThat(h.band()).isEqualTo(HealthBand.UNKNOWN);
        assertThat(h.reasons()).isEmpty();
    }

    @Test
    void missingComponentsAreLeftOutNotCountedAsZero() {
        AccountState a = AccountEngine.newAccount("a");
        a.npsScore = 9; // nps = 90, the only component with data
        assertThat(scorer.assess(a, now).score()).isEqualTo(90.0);
    }

    @Test
    void scoreIsTheWeightedMeanOfTheComponentsThatHaveData() {
        AccountState a = AccountEngine.newAccount("a");
        a.npsScore = 9; // 90 x weight 10
        a.paymentSeen = true;
        a.openPaymentFailures = 1; // 40 x weight 15
        // (900 + 600) / 25 = 60
        HealthAssessment h = scorer.assess(a, now);
        assertThat(h.score()).isEqualTo(60.0);
        assertThat(h.band()).isEqualTo(HealthBand.NEUTRAL);
        assertThat(h.components()).containsEntry("nps", 90.0).containsEntry("payment_health", 40.0);
    }

    @Test
    void weightsAreConfigurable() {
        HealthScorer npsHeavy = new HealthScorer(EngineSettings.builder()
                .weights(HealthWeights.withOverrides(Map.of("nps", 60.0))).build());
        AccountState a = AccountEngine.newAccount("a");
        a.npsScore = 9;
        a.paymentSeen = true;
        a.openPaymentFailures = 1;
        assertThat(npsHeavy.assess(a, now).score()).isEqualTo(80.0); // (90 x 60 + 40 x 15) / 75
    }

    @Test
    void bandsFollowTheConfiguredBoundaries() {
        assertThat(scorer.band(70.0)).isEqualTo(HealthBand.HEALTHY);
        assertThat(scorer.band(69.9)).isEqualTo(HealthBand.NEUTRAL);
        assertThat(scorer.band(40.0)).isEqualTo(HealthBand.NEUTRAL);
        assertThat(scorer.band(39.9)).isEqualTo(HealthBand.AT_RISK);
    }

    @Test
    void topReasonsAreTheComponentsThatMovedTheScoreMost() {
        AccountState a = AccountEngine.newAccount("a");
        a.npsScore = 10; // +50 pull x 10
        a.paymentSeen = true;
        a.openPaymentFailures = 3; // 0 -> -50 pull x 15
        a.sentiment = 0.1; // 55 -> +5 pull x 10
        HealthAssessment h = scorer.assess(a, now);
        assertThat(h.reasons()).extracting(HealthReason::getComponent)
                .containsExactly("payment_health", "nps", "support_sentiment");
        assertThat(h.reasons().get(0).getImpact()).isNegative();
        assertThat(h.reasons().get(1).getImpact()).isPositive();
    }

    @Test
    void trendComparesWithTheScoreOfThirtyDaysAgo() {
        AccountState a = AccountEngine.newAccount("a");
        ScoreHistory.remember(a, 80.0, day(70).toEpochMilli());
        ScoreHistory.remember(a, 75.0, day(85).toEpochMilli());
        a.npsScore = 6;
        HealthAssessment h = scorer.assess(a, now);
        assertThat(h.trend30d()).isEqualTo(60.0 - 80.0);
        assertThat(ScoreHistory.recentHigh(a, now)).isEqualTo(80.0);
    }

    @Test
    void featureAdoptionIsMeasuredAgainstWhatANewCustomerCouldHaveTriedSoFar() {
        AccountState a = AccountEngine.newAccount("a");
        a.firstStartAt = day(94).toEpochMilli(); // a customer for 6 days of the 30 adoption counts over
        a.featureLastUsed.put("reports", day(95).toEpochMilli());
        // one feature of the eight a month would bring, pro rata 1.6 for six days
        assertThat(scorer.assess(a, now).components()).containsEntry("feature_adoption", 62.5);
        a.firstStartAt = day(99).plusSeconds(23 * 3_600).toEpochMilli(); // one hour: at least a tenth of the window counts
        assertThat(scorer.assess(a, now).components()).containsEntry("feature_adoption", 100.0);
        a.firstStartAt = day(10).toEpochMilli(); // a long-standing customer: the whole target
        assertThat(scorer.assess(a, now).components()).containsEntry("feature_adoption", 12.5);
    }
}
