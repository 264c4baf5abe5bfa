package io.expansionsignals.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FlinkRunTest {
    private static final long S = 1_000_000_000L;

    @Test
    void eachTenthOfTheInputGetsItsOwnRate() {
        // 1,000,000 records, 100,000 per tenth: the first took 2 s, the others 1 s; the fifth mark was
        // never seen (0: all of it arrived within one poll), so neither tenth next to it has a rate
        long[] at = {S, 3 * S, 4 * S, 5 * S, 6 * S, 0, 8 * S, 9 * S, 10 * S, 11 * S, 12 * S};

        assertEquals("50 100 100 100 – – 100 100 100 100", FlinkRun.byTenth(at, 1_000_000));
    }

    @Test
    void tenthsAreStampedInUtcToTheMillisecond() {
        // 2026-12-01T15:40:00.000Z and 1,005 ms later; a tenth never seen stays a dash
        long at = 1_796_139_600_000L;

        assertEquals("15:40:00.000 – 15:40:01.005", FlinkRun.wallClock(new long[] {at, 0, at + 1_005}));
    }
}
