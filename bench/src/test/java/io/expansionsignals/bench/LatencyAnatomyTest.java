package io.expansionsignals.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LatencyAnatomyTest {
    @Test
    void splitsEachOutputIntoProducingAndBecomingVisibleAfterItsCheckpoint() {
        long[] completions = {2_500, 4_500};
        List<long[]> outputs = List.of(
                new long[] {1_000, 1_050, 2_540}, // produced after 50 ms, visible 40 ms after the first completion
                new long[] {2_100, 2_400, 4_560}, // produced late (after the barrier): visible 60 ms after the second
                new long[] {2_200, 2_220, 4_530});
        LatencyAnatomy a = new LatencyAnatomy(outputs, completions, 2_000);

        assertEquals(50, a.producedP50());
        assertEquals(300, a.producedP99());
        assertEquals(40, a.visibleP50());
        assertEquals(60, a.visibleP90());
        assertEquals(100.0 * 2 / 3, a.shareOverBound(), 1e-9);
        assertTrue(a.summary().startsWith("outputs produced p50 50 / p99 300 ms"), a.summary());
        assertTrue(a.summary().contains("66.7 % over 2,000 ms"), a.summary());
    }

    @Test
    void anOutputSeenBeforeAnyCompletedCheckpointAndOneWithoutAProduceTimeAreLeftOutOfThoseParts() {
        LatencyAnatomy a = new LatencyAnatomy(List.of(new long[] {0, -1, 100}), new long[] {500}, 2_000);

        assertEquals(-1, a.visibleP50());
        assertEquals(-1, a.producedP50());
        assertEquals(0, a.shareOverBound());
        assertTrue(a.summary().startsWith("outputs' produce times unknown; visible p50 -1"), a.summary());
    }

    @Test
    void outputsWrittenWithoutATransactionAreNotTimedAgainstCheckpoints() {
        LatencyAnatomy a = new LatencyAnatomy(List.of(new long[] {1_000, 1_040, 1_060}, new long[] {1_100, 1_130, 3_900}),
                null, 2_500);

        assertEquals(-1, a.visibleP50());
        assertEquals(50.0, a.shareOverBound(), 1e-9);
        assertTrue(a.summary().contains("; visible once written (no transaction); 50.0 % over 2,500 ms"), a.summary());
        assertFalse(a.summary().contains("checkpoint"), a.summary());
    }
}
