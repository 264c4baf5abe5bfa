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
