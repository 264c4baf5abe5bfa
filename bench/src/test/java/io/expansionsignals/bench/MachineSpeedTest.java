package io.expansionsignals.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MachineSpeedTest {
    @Test
    void theRandomCycleVisitsEverySlotBeforeComingBack() {
        int n = 10_000;
        int[] next = MachineSpeed.randomCycle(n, 7);
        boolean[] seen = new boolean[n];
        int at = 0;
        for (int i = 0; i < n; i++) {
            assertFalse(seen[at], "slot " + at + " came back after " + i + " steps");
            seen[at] = true;
            at = next[at];
        }
        assertEquals(0, at, "after n steps the chase is back at its start");
    }

    @Test
    void theCycleIsShuffledNotTheIdentityOrder() {
        int[] next = MachineSpeed.randomCycle(1_000, 7);
        int inOrder = 0;
        for (int i = 0; i < next.length; i++) {
            inOrder += next[i] == (i + 1) % next.length ? 1 : 0;
        }
        assertTrue(inOrder < 10, inOrder + " of 1,000 slots point to their neighbour: the loads would be sequential");
    }

    @Test
    void aLoadFromMemoryTakesLongerThanAnArithmeticStep() {
        MachineSpeed.Reading r = MachineSpeed.measure();
        assertTrue(r.arithmeticNanos() > 0 && r.loadNanos() > 0, r.toString());
        // A dependent load that misses every cache costs tens of ns; a dependent xorshift step about one.
        assertTrue(r.loadNanos() > 3 * r.arithmeticNanos(), r.toString());
        assertTrue(r.toString().startsWith("machine (one thread, quiet process): "), r.toString());
    }
}
