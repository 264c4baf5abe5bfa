package io.expansionsignals.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ThreadCpuTest {
    @Test
    void parallelSubtasksOfOneTaskCountAsOneGroup() {
        assertEquals("account engine -> Sink: signals", ThreadCpu.group("account engine -> Sink: signals (1/2)#0"));
        assertEquals("account engine -> Sink: signals", ThreadCpu.group("account engine -> Sink: signals (2/2)#3"));
        assertEquals("kafka-producer-network-thread | producer", ThreadCpu.group("kafka-producer-network-thread | producer-1"));
        assertEquals("data-plane-kafka-request-handler", ThreadCpu.group("data-plane-kafka-request-handler-4"));
        assertEquals("main", ThreadCpu.group("main"));
    }

    @Test
    void aBusyThreadShowsUpWithTheCpuItUsedSinceTheStart() throws Exception {
        ThreadCpu cpu = new ThreadCpu();
        Thread busy = new Thread(() -> {
            long end = System.nanoTime() + 200_000_000L;
            long x = 0;
            while (System.nanoTime() < end) {
                x += System.nanoTime() % 7;
            }
            if (x == 42) {
                System.out.print("");
            }
        }, "busy worker (1/1)#0");
        busy.start();
        Thread.sleep(150); // still running when measured, so its CPU is visible
        Long used = cpu.byGroup().get("busy worker");
        assertTrue(used != null && used > 50_000_000L, "busy worker used " + used + " ns");
        String line = cpu.perEvent(1_000, 1e6, 10);
        assertTrue(line.contains("busy worker ") && line.contains("outside Java threads"), line);
        busy.join();
    }

    @Test
    void theMeasuringThreadsOwnCpuIsNamedApart() {
        ThreadCpu cpu = new ThreadCpu();
        long end = System.nanoTime() + 100_000_000L;
        long x = 0;
        while (System.nanoTime() < end) { // this thread is the measurer
            x += System.nanoTime() % 7;
        }
        String line = cpu.perEvent(1_000, 1e6, 10);
        String label = "own polling (" + ThreadCpu.shorten(Thread.currentThread().getName()) + ") ";
        String own = line.substring(line.indexOf(label) + label.length()).replace(" µs", "");
        assertTrue(Double.parseDouble(own) > 10, line + " (x " + x + ")"); // ~100 ms over 1,000 events: ~100,000 µs each
    }
}
