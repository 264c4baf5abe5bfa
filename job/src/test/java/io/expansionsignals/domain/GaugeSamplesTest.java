package io.expansionsignals.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The gauge readings kept per metric (primitive arrays, shifted in place when full) against the
 * plain definition: insert in time order, then drop the oldest while over 30 readings or over 30
 * days older than the newest.
 */
class GaugeSamplesTest {
    private static final long DAY = 86_400_000L;

    @Test
    void keepsTheSameReadingsAsInsertThenTrimOverRandomOrderAndGaps() {
        Random rnd = new Random(11);
        for (int run = 0; run < 200; run++) {
            MetricState m = new MetricState();
            List<long[]> expected = new ArrayList<>();
            long clock = rnd.nextInt(1000) * DAY;
            for (int k = 0; k < 300; k++) {
                long at = switch (rnd.nextInt(10)) {
                    case 0 -> clock - rnd.nextInt(40) * DAY / 2; // late, possibly beyond the 30 days
                    case 1 -> clock += rnd.nextInt(45) * DAY; // a gap
                    default -> clock += rnd.nextInt(6 * 3_600_000);
                };
                long value = rnd.nextInt(1_000_000);
                GaugeSamples.add(m, at, value);
                reference(expected, at, value);

                assertThat(m.gaugeTimes).hasSameSizeAs(m.gaugeValues);
                assertThat(m.gaugeTimes).containsExactly(expected.stream().mapToLong(e -> e[0]).toArray());
                assertThat(m.gaugeValues).containsExactly(expected.stream().mapToLong(e -> e[1]).toArray());
            }
        }
    }

    /** The trend kept beside the readings always equals the trend of the readings as they are now. */
    @Test
    void theKeptTrendFollowsEveryReading() {
        Random rnd = new Random(5);
        for (int run = 0; run < 100; run++) {
            MetricState m = new MetricState();
            long clock = 0;
            for (int k = 0; k < 200; k++) {
                clock += rnd.nextInt(3) == 0 ? rnd.nextInt(3) * DAY : rnd.nextInt(6 * 3_600_000);
                long at = rnd.nextInt(8) == 0 ? clock - rnd.nextInt(5) * DAY : clock;
                GaugeSamples.add(m, at, rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(1_000));

                // compared as Doubles, so NaN (no trend) equals NaN
                assertThat((Double) GaugeSamples.trend(m)).isEqualTo((Double) trendOfArrays(m));
                assertThat((Double) GaugeSamples.trend(m)).isEqualTo((Double) trendOfArrays(m)); // asked twice, as each event does
            }
        }
    }

    @Test
    void aRestoredMetricTakesItsTrendFromItsReadings() {
        MetricState m = new MetricState(); // as a restore builds it: arrays set, nothing derived yet
        m.gaugeTimes = new long[] {0, DAY / 2, 2 * DAY};
        m.gaugeValues = new long[] {40, 50, 60};

        assertThat(GaugeSamples.trend(m)).isEqualTo(1.5);
    }

    private static double trendOfArrays(MetricState m) {
        int k = m.gaugeValues.length;
        return k >= 2 && m.gaugeValues[0] > 0 && m.gaugeTimes[k - 1] - m.gaugeTimes[0] >= DAY
                ? (double) m.gaugeValues[k - 1] / m.gaugeValues[0] : Double.NaN;
    }

    @Test
    void aFullWindowTakingANewerReadingDropsExactlyTheOldest() {
        MetricState m = new MetricState();
        for (int i = 0; i < 31; i++) {
            GaugeSamples.add(m, i * 1000L, i);
        }
        assertThat(m.gaugeTimes).hasSize(30).startsWith(1000L).endsWith(30_000L);
        assertThat(m.gaugeValues).startsWith(1L).endsWith(30L);
    }

    private static void reference(List<long[]> samples, long at, long value) {
        int i = samples.size();
        while (i > 0 && samples.get(i - 1)[0] > at) {
            i--;
        }
        samples.add(i, new long[] {at, value});
        long newest = samples.get(samples.size() - 1)[0];
        while (samples.size() > 30 || newest - samples.get(0)[0] > 30 * DAY) {
            samples.remove(0);
        }
    }
}
