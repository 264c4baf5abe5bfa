package io.expansionsignals.functions;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TaskThreadCpuTest {
    @Test
    void countsTheTimeTheThreadRunsNotTheTimeItWaits() throws Exception {
        long before = TaskThreadCpu.nanos();
        Thread.sleep(300);
        long slept = TaskThreadCpu.nanos() - before;

        long spinFrom = TaskThreadCpu.nanos();
        long wallFrom = System.nanoTime();
        long sink = 0;
        while (System.nanoTime() - wallFrom < 200_000_000L) {
            sink += sink * 31 + 7;
        }
        long spun = TaskThreadCpu.nanos() - spinFrom;

        assertTrue(before >= 0, "measured on this JVM");
        assertTrue(slept < 100_000_000L, "300 ms asleep took " + slept / 1_000_000 + " ms of CPU");
        assertTrue(spun > 20_000_000L, "200 ms spinning took " + spun / 1_000_000 + " ms of CPU (" + sink + ")");
    }
}
