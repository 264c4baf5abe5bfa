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
                a.featureLastUsed.merge("f" + rng.nextInt(40), now - rng.nextLong(0, 3 * DAY), Math::max);
                FeatureAdoption.changed(a);
            }
            // time mostly moves on, sometimes a late event asks about an earlier time
            long asked = rng.nextInt(10) == 0 ? now - rng.nextLong(0, 40 * DAY) : now;
            assertThat(FeatureAdoption.recentFeatures(a, asked)).as("at %d", asked).isEqualTo(bruteForce(a, asked));
            now += rng.nextLong(0, DAY / 2);
        }
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
