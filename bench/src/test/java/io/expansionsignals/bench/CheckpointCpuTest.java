package io.expansionsignals.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckpointCpuTest {
    @Test
    void poolsOfKernelNamedThreadsCountAsOneGroup() {
        assertEquals("GC Thread", CheckpointCpu.group("GC Thread#1"));
        assertEquals("rocksdb:low", CheckpointCpu.group("rocksdb:low0"));
        assertEquals("data-plane-kafk", CheckpointCpu.group("data-plane-kafk"));
        assertEquals("kafka-producer", CheckpointCpu.group("kafka-producer-12"));
        assertEquals("C2 CompilerThre", CheckpointCpu.group("C2 CompilerThre"));
        assertEquals("java (main: benchmark, load)", CheckpointCpu.group("java"));
    }

    @Test
    void samplesAreSplitByWhetherACheckpointRanAndGivenAsCores() {
        // 100 ms in a checkpoint: the engine ran 80 ms and waited 60; 100 ms after it: the broker ran 50 ms.
        List<CheckpointCpu.Sample> samples = List.of(
                new CheckpointCpu.Sample(1_050, 50, Map.of("engine", new long[] {40_000_000, 30_000_000})),
                new CheckpointCpu.Sample(1_100, 50, Map.of("engine", new long[] {40_000_000, 30_000_000})),
                new CheckpointCpu.Sample(1_150, 50, Map.of("broker", new long[] {25_000_000, 0})),
                new CheckpointCpu.Sample(1_200, 50, Map.of("broker", new long[] {25_000_000, 0})));
        String line = CheckpointCpu.summary(samples, List.of(new long[] {1_000, 1_110}));
        assertTrue(line.startsWith("cores while a checkpoint ran (50 % of 0 s)"), line);
        String during = line.substring(0, line.indexOf("between"));
        String between = line.substring(line.indexOf("between"));
        assertTrue(during.contains("engine 0.80 / 0.60") && !during.contains("broker"), during);
        assertTrue(between.contains("broker 0.50 / 0.00") && !between.contains("engine"), between);
    }

    @Test
    void saysSoWhenNoSampleFellInACheckpointOrBetweenThem() {
        List<CheckpointCpu.Sample> samples = List.of(new CheckpointCpu.Sample(1_050, 50, Map.of("engine", new long[] {1, 1})));
        assertEquals("checkpoint CPU: too few samples", CheckpointCpu.summary(samples, List.of()));
    }

    @Test
    void readsThisProcesssThreadsIncludingABusyOne() throws Exception {
        Thread busy = new Thread(() -> {
            long end = System.nanoTime() + 400_000_000L;
            while (System.nanoTime() < end) {
                Thread.onSpinWait();
            }
        }, "spinner-7");
        busy.start(); // before the sampler lists the threads
        CheckpointCpu cpu = CheckpointCpu.start();
        long start = System.currentTimeMillis();
        busy.join();
        Thread.sleep(60);
        cpu.close();
        String line = cpu.summary(List.of(new CheckpointSpans.Checkpoint(start, 300, true, Map.of(), Map.of())));
        assertTrue(line.matches("cores while a checkpoint ran .*: spinner (0\\.[5-9]|1\\.0).*between.*"), line);
    }
}
