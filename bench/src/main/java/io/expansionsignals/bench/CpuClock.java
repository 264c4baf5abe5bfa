package io.expansionsignals.bench;

import java.lang.management.ManagementFactory;

/**
 * Wall time and process CPU time of one measured interval. CPU time covers the whole JVM (the
 * in-process broker too), so "per core" figures are events per CPU-second actually burnt.
 */
public final class CpuClock {
    private final long wallStart = System.nanoTime();
    private final long cpuStart = processCpuNanos();

    public static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Seconds since construction, or until {@code wallEnd} (a System.nanoTime value). */
    public double wallSeconds(long wallEnd) {
        return (wallEnd - wallStart) / 1e9;
    }

    public double cpuSeconds() {
        return (processCpuNanos() - cpuStart) / 1e9;
    }
}
