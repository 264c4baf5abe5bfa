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

    /**
     * Waits until this process is quiet: a job just cancelled keeps working for a while (RocksDB
     * closing its column families, producers aborting, the broker writing markers), and a run that
     * starts meanwhile shares the cores with it. Returns when the process used less than a fifth of
     * a core over half a second (the idle broker and registry use a few percent), or after
     * {@code max}; returns the seconds waited.
     */
    public static double settle(java.time.Duration max) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + max.toNanos();
        System.gc(); // the previous run's garbage is collected now, not during the next measurement
        while (System.nanoTime() < deadline) {
            long cpu = processCpuNanos();
            long wall = System.nanoTime();
            Thread.sleep(500);
            double cores = (processCpuNanos() - cpu) / (double) (System.nanoTime() - wall);
            if (cores < 0.2) {
                break;
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** Seconds since construction, or until {@code wallEnd} (a System.nanoTime value). */
    public double wallSeconds(long wallEnd) {
        return (wallEnd - wallStart) / 1e9;
    }

    public double cpuSeconds() {
        return (processCpuNanos() - cpuStart) / 1e9;
    }
}
