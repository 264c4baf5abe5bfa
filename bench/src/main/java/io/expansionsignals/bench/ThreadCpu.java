package io.expansionsignals.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongUnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * CPU time per group of threads over a measured interval: which task of the job the CPU went to.
 * Process CPU alone cannot tell a change that makes the account operator cheaper from noise,
 * because on two cores the sources, sinks and broker take up whatever the operator leaves.
 */
final class ThreadCpu {
    /** Flink names a task's thread "{task name} ({subtask}/{parallelism})#{attempt}". */
    private static final Pattern SUBTASK = Pattern.compile(" \\(\\d+/\\d+\\)#\\d+$");
    /** Pools number their threads, e.g. "data-plane-kafka-request-handler-3": one group per pool. */
    private static final Pattern POOL_NUMBER = Pattern.compile("-\\d+$");
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private final Map<Long, Long> start = perThread(THREADS::getThreadCpuTime);
    /** The thread that measures (polls the job's counts): its CPU is the benchmark's, not the job's. */
    private final String measurer = group(Thread.currentThread().getName());

    /** A per-thread counter's value for every live thread that has one (the counter returns -1 otherwise). */
    static Map<Long, Long> perThread(LongUnaryOperator counter) {
        Map<Long, Long> values = new HashMap<>();
        for (long id : THREADS.getAllThreadIds()) {
            long value = counter.applyAsLong(id);
            if (value >= 0) {
                values.put(id, value);
            }
        }
        return values;
    }

    /** How much a per-thread counter grew since {@code start}, summed per group; threads started since count in full. */
    static Map<String, Long> grownByGroup(Map<Long, Long> start, LongUnaryOperator counter) {
        Map<String, Long> groups = new HashMap<>();
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info == null) {
                continue; // ended meanwhile
            }
            long value = counter.applyAsLong(info.getThreadId());
            if (value >= 0) {
                groups.merge(group(info.getThreadName()), value - start.getOrDefault(info.getThreadId(), 0L), Long::sum);
            }
        }
        return groups;
    }

    /** The group a thread counts in: its name without the subtask suffix or pool number, so parallel subtasks and pools add up. */
    static String group(String threadName) {
        return POOL_NUMBER.matcher(SUBTASK.matcher(threadName).replaceFirst("")).replaceFirst("");
    }

    /** CPU nanoseconds per group since construction, largest first; threads started since count in full. */
    Map<String, Long> byGroup() {
        return grownByGroup(start, THREADS::getThreadCpuTime).entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    }

    /**
     * The {@code top} groups as microseconds of CPU per event, e.g. "account engine -> ... 9.1 µs",
     * then the rest of the Java threads, then what the process used outside Java threads (GC, the
     * JIT compiler, RocksDB's native flush and compaction threads).
     */
    String perEvent(long events, double processCpuSeconds, int top) {
        Map<String, Long> groups = byGroup();
        long javaThreads = groups.values().stream().mapToLong(Long::longValue).sum();
        long shown = groups.values().stream().limit(top).mapToLong(Long::longValue).sum();
        String listed = groups.entrySet().stream().limit(top)
                .map(e -> String.format(Locale.ROOT, "%s %.1f µs", shorten(e.getKey()), e.getValue() / 1e3 / events))
                .collect(Collectors.joining(", "));
        return String.format(Locale.ROOT, "%s, other Java threads %.1f µs, outside Java threads %.1f µs; of these the "
                + "benchmark's own polling (%s) %.2f µs", listed, (javaThreads - shown) / 1e3 / events,
                Math.max(0, processCpuSeconds * 1e9 - javaThreads) / 1e3 / events, shorten(measurer),
                groups.getOrDefault(measurer, 0L) / 1e3 / events);
    }

    static String shorten(String group) {
        return group.length() <= 40 ? group : group.substring(0, 37) + "...";
    }
}
