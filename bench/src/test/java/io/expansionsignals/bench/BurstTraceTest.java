package io.expansionsignals.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BurstTraceTest {
    private static final long MS = 1_000_000;

    @Test
    void aSubtaskThatBurstsWhileTheOtherStillTakesInRecordsIsCountedFromItsOwnLastRecord() {
        BurstTrace trace = new BurstTrace();
        // subtask 0 has all its 106 records at t1 and fires from t2; subtask 1 takes in its last at t3, fires from t4
        trace.add(poll(0, new long[] {100, 50}, new long[] {2, 1}, 10, 1, 200));
        trace.add(poll(1, new long[] {106, 80}, new long[] {2, 1}, 12, 1, 200));
        trace.add(poll(2, new long[] {106, 120}, new long[] {40, 1}, 30, 2, 900));
        trace.add(poll(3, new long[] {106, 156}, new long[] {90, 1}, 50, 2, 900));
        trace.add(poll(4, new long[] {106, 156}, new long[] {100, 30}, 70, 3, 1_500));
        trace.add(poll(5, new long[] {106, 156}, new long[] {100, 60}, 80, 3, 1_500));
        trace.add(poll(6, new long[] {106, 156}, new long[] {100, 60}, 81, 5, 300));
        BurstTrace.Burst b = trace.burst();
        // a count summed over both and read once both had all their records (t3: 91) would have missed 88 of them
        assertEquals((100 - 2) + (60 - 1), b.timers());
        assertEquals(2 * MS, b.startNanos(), "the first poll that saw subtask 0 fire");
        assertEquals(5 * MS, b.endNanos(), "the last poll that saw the count change");
        assertEquals(81 - 12, b.outputs(), "from the poll before the start");
        assertEquals(1_500, b.longestCheckpointMs(), "the one completed by t2 (900 ms) counts as before the burst");
        assertEquals(1, b.checkpointsDuring(), "completed after t2 and by t5; the two by t6 came after the burst");
        assertEquals(160, trace.timersNow());
    }

    @Test
    void timersOfTheMainInputBeforeASubtasksLastRecordAreNotTheBurst() {
        BurstTrace trace = new BurstTrace();
        trace.add(poll(0, new long[] {10, 10}, new long[] {0, 0}, 0, 0, 0));
        trace.add(poll(1, new long[] {15, 15}, new long[] {5, 3}, 0, 0, 0)); // the main input's own timers
        trace.add(poll(2, new long[] {20, 20}, new long[] {5, 3}, 0, 0, 0));
        assertEquals(0, trace.burst().timers(), "none fired since each subtask's last record");
        // (a timer fired between a subtask's last short poll and the one that saw its final count
        // is taken for the burst's: polls 10 ms apart cannot tell, and the main input fires few)
        trace.add(poll(3, new long[] {20, 20}, new long[] {5, 9}, 4, 1, 700));
        BurstTrace.Burst b = trace.burst();
        assertEquals(6, b.timers());
        assertEquals(3 * MS, b.startNanos());
        assertEquals(3 * MS, b.endNanos());
        assertEquals(0, b.longestCheckpointMs(), "completed by the burst's first poll");
        assertEquals(0, b.checkpointsDuring());
    }

    @Test
    void anEmptyTraceHasNoBurst() {
        assertEquals(new BurstTrace.Burst(0, 0, 0, 0, 0, 0), new BurstTrace().burst());
    }

    private static BurstTrace.Poll poll(long ms, long[] takenIn, long[] timers, long outputs, long checkpoints, long lastMs) {
        return new BurstTrace.Poll(ms * MS, takenIn, timers, outputs, checkpoints, lastMs);
    }
}
