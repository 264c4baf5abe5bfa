package io.expansionsignals.bench;

import java.util.ArrayList;
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
 * over subtasks), which decides how long exactly-once outputs wait to become visible.
 */
public final class CheckpointSpans implements TraceReporter {
    /** One completed checkpoint: start, duration, and its numeric attributes by name. */
    public record Checkpoint(long startMillis, long durationMillis, Map<String, Long> attributes) {}

    private static final List<Checkpoint> CHECKPOINTS = new ArrayList<>();

    /** Adds this reporter to a Flink configuration. */
    public static void install(Configuration conf) {
        conf.setString("traces.reporters", "benchspans");
        conf.setString("traces.reporter.benchspans.factory.class", Factory.class.getName());
    }

    public static synchronized void reset() {
        CHECKPOINTS.clear();
    }

    /** Checkpoints started at or after {@code fromMillis}. */
    public static synchronized List<Checkpoint> since(long fromMillis) {
        return CHECKPOINTS.stream().filter(c -> c.startMillis >= fromMillis).toList();
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
        StringBuilder s = new StringBuilder(String.format("%d checkpoints, started every %d ms (p50, max %d), duration p50 %d ms,"
                + " max %d ms; median of the slowest subtask:", checkpoints.size(), gaps.percentile(50), gaps.percentile(100),
                durations.percentile(50), durations.percentile(100)));
        parts.forEach((k, p) -> s.append(String.format(" %s %d ms (max %d)", k, p.percentile(50), p.percentile(100))));
        return s.toString();
    }

    @Override
    public void notifyOfAddedSpan(Span span) {
        if (!"Checkpoint".equals(span.getName())) {
            return;
        }
        Map<String, Long> numbers = new TreeMap<>();
        span.getAttributes().forEach((k, v) -> {
            if (v instanceof Number n) {
                numbers.put(k, n.longValue());
            }
        });
        synchronized (CheckpointSpans.class) {
            CHECKPOINTS.add(new Checkpoint(span.getStartTsMillis(), span.getEndTsMillis() - span.getStartTsMillis(), numbers));
        }
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
