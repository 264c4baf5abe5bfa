package io.expansionsignals.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.traces.Span;
import org.apache.flink.traces.reporter.TraceReporter;
import org.apache.flink.traces.reporter.TraceReporterFactory;

/**
 * Flink's per-checkpoint trace spans (FLIP-384), held in this JVM: where a checkpoint's time goes
 * (start delay = barrier travel, alignment, synchronous and asynchronous parts, each the maximum
 * over subtasks), which decides how long exactly-once outputs wait to become visible. Spans come
 * with one child per task, so the summary also says which task a checkpoint waited for.
 */
public final class CheckpointSpans implements TraceReporter {
    /**
     * One finished checkpoint (completed, else failed): start, duration, its numeric attributes by
     * name, and each task's (by job vertex id).
     */
    public record Checkpoint(long startMillis, long durationMillis, boolean completed, Map<String, Long> attributes,
            Map<String, Map<String, Long>> tasks) {}

    private static final List<Checkpoint> CHECKPOINTS = new ArrayList<>();
    /** Job vertex id to task name, for the job being measured. */
    private static final Map<String, String> TASK_NAMES = new TreeMap<>();
    /** A task is named in the summary when one of its parts takes at least this long (median). */
    private static final long NOTABLE_MILLIS = 10;

    /** Adds this reporter to a Flink configuration. */
    public static void install(Configuration conf) {
        conf.setString("traces.reporters", "benchspans");
        conf.setString("traces.reporter.benchspans.factory.class", Factory.class.getName());
        conf.setString("traces.checkpoint.span-detail-level", "CHILDREN_SPANS_PER_TASK");
    }

    /** Forgets the checkpoints so far; {@code taskNames} (job vertex id to name) are those of the next job. */
    public static synchronized void reset(Map<String, String> taskNames) {
        CHECKPOINTS.clear();
        TASK_NAMES.clear();
        TASK_NAMES.putAll(taskNames);
    }

    /** Checkpoints started at or after {@code fromMillis}. */
    public static synchronized List<Checkpoint> since(long fromMillis) {
        return between(fromMillis, Long.MAX_VALUE);
    }

    /** The first completed checkpoint started at or after {@code fromMillis}, or null. */
    public static synchronized Checkpoint firstCompletedSince(long fromMillis) {
        return CHECKPOINTS.stream().filter(c -> c.startMillis >= fromMillis && c.completed).findFirst().orElse(null);
    }

    /** Checkpoints started from {@code fromMillis} to {@code toMillis}, both included. */
    public static synchronized List<Checkpoint> between(long fromMillis, long toMillis) {
        return CHECKPOINTS.stream().filter(c -> c.startMillis >= fromMillis && c.startMillis <= toMillis).toList();
    }

    /**
     * One line: how many checkpoints, their duration p50 / max, and the median over checkpoints of
     * each per-subtask maximum the span carries (start delay, alignment, sync, async).
     */
    public static String summary(List<Checkpoint> checkpoints) {
        if (checkpoints.isEmpty()) {
            return "no checkpoint spans";
        }
        Percentiles durations = new Percentiles();
        Map<String, Percentiles> parts = new TreeMap<>();
        for (Checkpoint c : checkpoints) {
            durations.add(c.durationMillis);
            c.attributes.forEach((k, v) -> {
                if (k.startsWith("max") && k.endsWith("Ms")) {
                    parts.computeIfAbsent(k.substring(3, k.length() - 2), x -> new Percentiles()).add(v);
                }
            });
        }
        Percentiles gaps = new Percentiles();
        for (int i = 1; i < checkpoints.size(); i++) {
            gaps.add(checkpoints.get(i).startMillis - checkpoints.get(i - 1).startMillis);
        }
        long failed = checkpoints.stream().filter(c -> !c.completed).count();
        StringBuilder s = new StringBuilder(String.format("%d checkpoints%s, started every %d ms (p50, max %d), duration p50 %d ms,"
                + " max %d ms; median of the slowest subtask:", checkpoints.size(), failed == 0 ? "" : " (" + failed + " failed)",
                gaps.percentile(50), gaps.percentile(100),
                durations.percentile(50), durations.percentile(100)));
        parts.forEach((k, p) -> s.append(String.format(" %s %d ms (max %d)", k, p.percentile(50), p.percentile(100))));
        s.append(byTask(checkpoints));
        return s.toString();
    }

    /**
     * The median over {@code checkpoints} of one part ("sync", "async", see {@link #summary}) of
     * the slowest subtask of the task whose name starts with {@code taskPrefix}; -1 if none has it.
     */
    public static long taskMedian(List<Checkpoint> checkpoints, String taskPrefix, String part) {
        String attribute = TASK_PARTS.get(part);
        if (attribute == null) {
            throw new IllegalArgumentException("no checkpoint part " + part + ", one of " + TASK_PARTS.keySet());
        }
        Percentiles values = new Percentiles();
        for (Checkpoint c : checkpoints) {
            c.tasks.forEach((task, attributes) -> {
                Long v = attributes.get(attribute);
                if (v != null && TASK_NAMES.getOrDefault(task, task).startsWith(taskPrefix)) {
                    values.add(v);
                }
            });
        }
        return values.count() == 0 ? -1 : values.percentile(50);
    }

    /** A task's parts in the order a checkpoint goes through them, with the span attribute of each. */
    private static final Map<String, String> TASK_PARTS = new LinkedHashMap<>();

    static {
        TASK_PARTS.put("start delay", "maxCheckpointStartDelayMs");
        TASK_PARTS.put("alignment", "maxAlignmentDurationMs");
        TASK_PARTS.put("sync", "maxSyncCheckpointDurationMs");
        TASK_PARTS.put("async", "maxAsyncCheckpointDurationMs");
    }

    /** Each task's medians of its slowest subtask's parts, for the tasks where one of them is notable. */
    static String byTask(List<Checkpoint> checkpoints) {
        Map<String, Map<String, Percentiles>> tasks = new TreeMap<>();
        for (Checkpoint c : checkpoints) {
            c.tasks.forEach((task, attributes) -> TASK_PARTS.forEach((part, attribute) -> {
                Long v = attributes.get(attribute);
                if (v != null) {
                    tasks.computeIfAbsent(task, x -> new TreeMap<>())
                            .computeIfAbsent(part, x -> new Percentiles()).add(v);
                }
            }));
        }
        StringBuilder s = new StringBuilder();
        tasks.forEach((task, parts) -> {
            if (parts.values().stream().noneMatch(p -> p.percentile(50) >= NOTABLE_MILLIS)) {
                return;
            }
            s.append(String.format("; task %s:", TASK_NAMES.getOrDefault(task, task)));
            TASK_PARTS.keySet().stream().filter(parts::containsKey)
                    .forEach(part -> s.append(String.format(" %s %d", part, parts.get(part).percentile(50))));
            s.append(" ms");
        });
        return s.toString();
    }

    @Override
    public void notifyOfAddedSpan(Span span) {
        if (!"Checkpoint".equals(span.getName())) {
            return;
        }
        Map<String, Map<String, Long>> tasks = new TreeMap<>();
        for (Span child : span.getChildren()) {
            Object vertex = child.getAttributes().get("jobVertexId");
            if (vertex != null) {
                tasks.put(vertex.toString(), numbers(child));
            }
        }
        synchronized (CheckpointSpans.class) {
            CHECKPOINTS.add(new Checkpoint(span.getStartTsMillis(), span.getEndTsMillis() - span.getStartTsMillis(),
                    "COMPLETED".equals(String.valueOf(span.getAttributes().get("checkpointStatus"))), numbers(span), tasks));
        }
    }

    private static Map<String, Long> numbers(Span span) {
        Map<String, Long> numbers = new TreeMap<>();
        span.getAttributes().forEach((k, v) -> {
            if (v instanceof Number n) {
                numbers.put(k, n.longValue());
            }
        });
        return numbers;
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    /** Loaded by Flink from the configuration. */
    public static final class Factory implements TraceReporterFactory {
        @Override
        public TraceReporter createTraceReporter(Properties properties) {
            return new CheckpointSpans();
        }
    }
}
