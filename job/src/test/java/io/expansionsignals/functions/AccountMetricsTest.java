package io.expansionsignals.functions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

class AccountMetricsTest {
    /** Keeps the histograms registered under it (and under its sub-groups) by name. */
    private static final class CapturingGroup extends UnregisteredMetricsGroup {
        final Map<String, Histogram> histograms = new HashMap<>();

        @Override
        public MetricGroup addGroup(String name) {
            return this;
        }

        @Override
        public <H extends Histogram> H histogram(String name, H histogram) {
            histograms.put(name, histogram);
            return histogram;
        }
    }

    @Test
    void aFlushRecordsItsWallTimeAndTheCpuTheTaskThreadSpentOnIt() {
        CapturingGroup group = new CapturingGroup();
        AccountMetrics metrics = new AccountMetrics(group);
        metrics.watch(new AccountStateCache(null, null, 40_000));

        metrics.flushed(12_000, 300, 100);
        metrics.flushed(11_000, 280, 90);
        metrics.flushed(10_000, 250, -1); // CPU time not measured on this JVM: the wall time still counts

        Histogram wall = group.histograms.get("account_cache_flush_ms");
        Histogram cpu = group.histograms.get("account_cache_flush_cpu_ms");
        assertEquals(3, wall.getCount());
        assertEquals(2, cpu.getCount());
        assertArrayEquals(new long[] {300, 280, 250}, wall.getStatistics().getValues());
        assertArrayEquals(new long[] {100, 90}, cpu.getStatistics().getValues());
    }

    @Test
    void aCacheThatPassesEverythingThroughRegistersNoCacheMetrics() {
        CapturingGroup group = new CapturingGroup();
        AccountMetrics metrics = new AccountMetrics(group);
        int before = group.histograms.size();
        metrics.watch(new AccountStateCache(null, null, 0)); // the heap backend's

        metrics.flushed(0, 0, 0);

        assertEquals(before, group.histograms.size());
        assertNull(group.histograms.get("account_cache_flush_ms"));
    }
}
