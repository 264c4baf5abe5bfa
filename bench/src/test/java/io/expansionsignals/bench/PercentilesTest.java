package io.expansionsignals.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PercentilesTest {
    @Test
    void nearestRankOverOneToHundred() {
        Percentiles p = new Percentiles();
        for (int i = 100; i >= 1; i--) { // insertion order must not matter
            p.add(i);
        }
        assertEquals(50, p.percentile(50));
        assertEquals(99, p.percentile(99));
        assertEquals(100, p.percentile(100));
        assertEquals(1, p.percentile(0.5));
    }

    @Test
    void smallSamplesRoundUp() {
        Percentiles p = new Percentiles();
        p.add(10);
        p.add(20);
        p.add(30);
        assertEquals(20, p.percentile(50));
        assertEquals(30, p.percentile(99));
    }

    @Test
    void emptyIsMinusOneAndBadPercentileIsRejected() {
        Percentiles p = new Percentiles();
        assertEquals(-1, p.percentile(50));
        assertThrows(IllegalArgumentException.class, () -> p.percentile(0));
        assertThrows(IllegalArgumentException.class, () -> p.percentile(101));
    }

    @Test
    void growsBeyondInitialCapacity() {
        Percentiles p = new Percentiles();
        for (int i = 1; i <= 5000; i++) {
            p.add(i);
        }
        assertEquals(5000, p.count());
        assertEquals(4950, p.percentile(99));
    }
}
