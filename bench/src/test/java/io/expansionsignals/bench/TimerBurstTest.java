package io.expansionsignals.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimerBurstTest {

    @Test
    void theProductsRateIsGivenAgainstItsOwnRoundsFloorAndAsTheMedianOfThoseRatios() {
        List<TimerBurst.Result> results = List.of(
                new TimerBurst.Result(TimerBurst.FLOOR, 10_000, 1, 30_000, 0.5, 30_000, 800, 0),
                new TimerBurst.Result(TimerBurst.PRODUCT, 10_000, 1, 24_000, 2.0, 36_000, 2_400, 0),
                new TimerBurst.Result(TimerBurst.FLOOR, 10_000, 2, 30_000, 1.0, 30_000, 300, 1),
                new TimerBurst.Result(TimerBurst.PRODUCT, 10_000, 2, 24_000, 1.0, 36_000, 900, 0),
                new TimerBurst.Result(TimerBurst.FLOOR, 10_000, 3, 30_000, 0.6, 30_000, 500, 2),
                new TimerBurst.Result(TimerBurst.PRODUCT, 10_000, 3, 24_000, 0.8, 36_000, 700, 1),
                new TimerBurst.Result(TimerBurst.PRODUCT, 100_000, 1, 240_000, 8.0, 360_000, 9_000, 4));
        // rounds: 12,000 / 60,000, 24,000 / 30,000, 30,000 / 50,000 timers/s
        assertEquals(0.2, TimerBurst.vsFloor(results, results.get(1)).getAsDouble(), 1e-9);
        assertEquals(0.8, TimerBurst.vsFloor(results, results.get(3)).getAsDouble(), 1e-9);
        assertTrue(TimerBurst.vsFloor(results, results.get(0)).isEmpty());
        assertTrue(TimerBurst.vsFloor(results, results.get(6)).isEmpty()); // no floor at 100 k
        assertEquals(0.6, TimerBurst.medianVsFloor(results, 10_000, TimerBurst.PRODUCT).getAsDouble(), 1e-9);

        String md = TimerBurst.markdown(results, Duration.ofDays(200));
        assertTrue(md.contains("event time jumps 200 days"), md);
        assertTrue(md.contains("| 10,000 | " + TimerBurst.PRODUCT
                + " | 24,000 | 1.0 | 24,000 | 12,000 / 24,000 / 30,000 | 0.60 | 1.50 | 2,400 | 0 |"), md);
        assertTrue(md.contains("| 10,000 | " + TimerBurst.FLOOR
                + " | 30,000 | 0.6 | 50,000 | 60,000 / 30,000 / 50,000 | – | 1.00 | 800 | 1 |"), md);
        assertTrue(md.contains("| 100,000 | " + TimerBurst.PRODUCT + " | 240,000 | 8.0 | 30,000 | 30,000 | – | 1.50 | 9,000 | 4 |"), md);
        List<String> csv = TimerBurst.csv(results).lines().toList();
        assertEquals("accounts,job,round,timers,seconds,timers_per_s,vs_floor,outputs,longest_checkpoint_ms,checkpoints_during",
                csv.get(0));
        assertEquals("10000,\"" + TimerBurst.PRODUCT + "\",2,24000,1.000,24000,0.800,36000,900,0", csv.get(4));
        assertEquals("10000,\"" + TimerBurst.FLOOR + "\",1,30000,0.500,60000,-1.000,30000,800,0", csv.get(1));
        assertEquals(8, csv.size());
        assertEquals("", TimerBurst.markdown(List.of(), Duration.ofDays(200)));
    }

    @Test
    void aCohortsBurstsHaveTheirOwnHeadingAndTheInterruptibleProductItsOwnLine() {
        List<TimerBurst.Result> results = List.of(
                new TimerBurst.Result(TimerBurst.PRODUCT, 1_000_000, 1, 3_000_000, 12.0, 3_000_000, 11_500, 0),
                new TimerBurst.Result(TimerBurst.PRODUCT_INTERRUPTIBLE, 1_000_000, 1, 3_000_000, 15.0, 3_000_000, 900, 6));
        String md = TimerBurst.cohortMarkdown(results, Duration.ofHours(1), Duration.ofHours(6), Duration.ofDays(200));
        assertTrue(md.contains("Cohort burst: accounts that all signed up within 1h, event time jumps 200 days after their"
                + " first 6 hours"), md);
        assertTrue(md.contains("| 1,000,000 | " + TimerBurst.PRODUCT + " | 3,000,000 | 12.0 | 250,000 | 250,000 | – | 1.00 | 11,500 | 0 |"), md);
        assertTrue(md.contains("| 1,000,000 | " + TimerBurst.PRODUCT_INTERRUPTIBLE
                + " | 3,000,000 | 15.0 | 200,000 | 200,000 | – | 1.00 | 900 | 6 |"), md);
        assertFalse(md.contains("Timer burst:"), md);
    }
}
