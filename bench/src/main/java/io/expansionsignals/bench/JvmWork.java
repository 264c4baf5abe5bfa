package io.expansionsignals.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the JVM itself did over a measured interval: heap allocated per event (and by which task),
 * the collector's time, and the JIT compiler's. "Outside Java threads" in the CPU line mixes
 * these with RocksDB's native threads; this line tells them apart.
 */
final class JvmWork {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final Map<Long, Long> startBytes = ThreadCpu.perThread(THREADS::getThreadAllocatedBytes);
    private final long startGcMillis = gcMillis();
    private final long startGcCount = gcCount();
    private final long startJitMillis = jitMillis();

    /** Bytes allocated per group since construction; threads started since count in full. */
    Map<String, Long> allocatedByGroup() {
        return ThreadCpu.grownByGroup(startBytes, THREADS::getThreadAllocatedBytes);
    }

    /**
     * e.g. "4,210 B per event (account engine -> ... 2,400 B), GC 0.3 µs per event in 2 collections,
     * JIT 5.1 µs per event" (the compiler threads' time, summed over threads).
     */
    String perEvent(long events) {
        Map<String, Long> groups = allocatedByGroup();
        long total = groups.values().stream().mapToLong(Long::longValue).sum();
        Map.Entry<String, Long> largest = groups.entrySet().stream().max(Map.Entry.comparingByValue()).orElse(null);
        String top = largest == null ? "" : String.format(Locale.ROOT, " (%s %,d B)",
                ThreadCpu.shorten(largest.getKey()), largest.getValue() / events);
        return String.format(Locale.ROOT, "%,d B per event%s, GC %.1f µs per event in %d collections, JIT %.1f µs per event",
                total / events, top, (gcMillis() - startGcMillis) * 1e3 / events, gcCount() - startGcCount,
                (jitMillis() - startJitMillis) * 1e3 / events);
    }

    private static long gcMillis() {
        return collectors().stream().mapToLong(c -> Math.max(0, c.getCollectionTime())).sum();
    }

    private static long gcCount() {
        return collectors().stream().mapToLong(c -> Math.max(0, c.getCollectionCount())).sum();
    }

    private static long jitMillis() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    private static List<GarbageCollectorMXBean> collectors() {
        return ManagementFactory.getGarbageCollectorMXBeans();
    }
}
