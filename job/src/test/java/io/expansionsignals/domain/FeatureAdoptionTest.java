package io.expansionsignals.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FeatureAdoptionTest {
    private static final long DAY = UsagePeriod.DAY_MILLIS;

    private static int bruteForce(AccountState a, long now) {
        int n = 0;
        for (long t : a.featureLastUsed.values()) {
            n += now - t <= 30 * DAY ? 1 : 0;
        }
        return n;
    }

    @Test
    void theKeptCountAlwaysEqualsACountFromScratch() {
        SplittableRandom rng = new SplittableRandom(11);
        AccountState a = AccountEngine.newAccount("a");
        long now = 400 * DAY;
        for (int i = 0; i < 50_000; i++) {
            if (rng.nextInt(5) == 0) { // a feature used, sometimes late
                String feature = "f" + rng.nextInt(40);
                long usedAt = now - rng.nextLong(0, 3 * DAY);
                Long previous = a.featureLastUsed.get(feature);
                if (previous == null || previous < usedAt) { // as the engine does: a later use moves it on
                    a.featureLastUsed.put(feature, usedAt);
                    FeatureAdoption.used(a, previous);
                }
            }
            // time mostly moves on, sometimes a late event asks about an earlier time
            long asked = rng.nextInt(10) == 0 ? now - rng.nextLong(0, 40 * DAY) : now;
            assertThat(FeatureAdoption.recentFeatures(a, asked)).as("at %d", asked).isEqualTo(bruteForce(a, asked));
            now += rng.nextLong(0, DAY / 2);
        }
    }

    @Test
    void aFeatureThatAlreadyCountsKeepsTheCountWithoutARecountAndANewOneForcesIt() {
        AccountState a = AccountEngine.newAccount("a");
        a.featureLastUsed.put("sso", 10 * DAY);
        a.featureLastUsed.put("api", 12 * DAY);
        assertThat(FeatureAdoption.recentFeatures(a, 20 * DAY)).isEqualTo(2);
        long keptUntil = a.adoptedTo;

        a.featureLastUsed.put("sso", 19 * DAY);
        FeatureAdoption.used(a, 10 * DAY);
        assertThat(a.adoptedTo).as("count kept").isEqualTo(keptUntil);

        a.featureLastUsed.put("sso-new", 20 * DAY);
        FeatureAdoption.used(a, null);
        assertThat(FeatureAdoption.recentFeatures(a, 20 * DAY)).isEqualTo(3);
    }

    @Test
    void exactlyThirtyDaysAfterItsLastUseAFeatureStillCountsAndThenNoLonger() {
        AccountState a = AccountEngine.newAccount("a");
        a.featureLastUsed.put("sso", 10 * DAY);
        assertThat(FeatureAdoption.recentFeatures(a, 40 * DAY)).isEqualTo(1);
        assertThat(FeatureAdoption.recentFeatures(a, 40 * DAY + 1)).isZero();
        assertThat(FeatureAdoption.recentFeatures(a, 39 * DAY)).isEqualTo(1);
    }
}
