package io.expansionsignals.functions;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * CPU time of the calling thread, for telling work from waiting: a flush before the barrier that
 * took 300 ms on the wall clock but 100 ms of CPU spent two thirds of its time waiting for a core
 * (docs/performance-history.md, candidate 37).
 */
final class TaskThreadCpu {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final boolean SUPPORTED = supported();

    private TaskThreadCpu() {}

    /** The calling thread's CPU time (user and system) in ns, or -1 where the JVM does not measure it. */
    static long nanos() {
        return SUPPORTED ? THREADS.getCurrentThreadCpuTime() : -1;
    }

    private static boolean supported() {
        try {
            if (!THREADS.isCurrentThreadCpuTimeSupported()) {
                return false;
            }
            if (!THREADS.isThreadCpuTimeEnabled()) {
                THREADS.setThreadCpuTimeEnabled(true);
            }
            return true;
        } catch (UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }
}
