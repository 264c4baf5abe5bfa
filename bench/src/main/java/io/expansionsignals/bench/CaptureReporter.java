package io.expansionsignals.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;

/**
 * Keeps live references to the MiniCluster's metrics in this JVM, so the benchmark can read
 * operator record counts and checkpoint figures directly: no REST polling, no sampling interval.
 * Static because Flink instantiates the reporter itself; one Flink job runs at a time.
 */
public final class CaptureReporter implements MetricReporter {
    /** A captured metric with the operator (or job) it belongs to, and its subtask's index (-1 above the tasks). */
    record Captured(String name, String operator, String task, int subtask, Metric metric) {}

    private static final Map<Metric, Captured> METRICS = new ConcurrentHashMap<>();
    /**
     * The same, by metric name. The benchmark polls counts every 10 ms while a job runs; a scan of
     * every metric (thousands for the product job) took a measurable share of a core from the job
     * being measured, more for the product than for the floor with its few operators.
     */
    private static final Map<String, List<Captured>> BY_NAME = new ConcurrentHashMap<>();

    /** Adds this reporter to a Flink configuration. */
    public static void install(Configuration conf) {
        conf.setString(MetricOptions.REPORTERS_LIST.key(), "bench");
        conf.setString("metrics.reporter.bench.factory.class", CaptureReporterFactory.class.getName());
    }

    /** Forgets the previous job's metrics. */
    public static void reset() {
        METRICS.clear();
        BY_NAME.clear();
    }

    /** Sum of counters called {@code name} on operators whose name starts with {@code operatorPrefix}. */
    public static long counterSum(String name, String operatorPrefix) {
        long sum = 0;
        for (Metric m : operatorMetrics(name, operatorPrefix)) {
            if (m instanceof Counter counter) {
                sum += counter.getCount();
            }
        }
        return sum;
    }

    /**
     * Counters called any of {@code names} on operators whose name starts with {@code operatorPrefix},
     * summed per subtask and indexed by subtask (a keyed operator's subtasks each count their own).
     */
    public static long[] counterBySubtask(String operatorPrefix, String... names) {
        long[] bySubtask = new long[0];
        for (String name : names) {
            for (Captured c : BY_NAME.getOrDefault(name, List.of())) {
                if (c.operator != null && c.operator.startsWith(operatorPrefix) && c.subtask >= 0
                        && c.metric instanceof Counter counter) {
                    if (c.subtask >= bySubtask.length) {
                        bySubtask = java.util.Arrays.copyOf(bySubtask, c.subtask + 1);
                    }
                    bySubtask[c.subtask] += counter.getCount();
                }
            }
        }
        return bySubtask;
    }

    /** Sum of numeric gauges called {@code name} on operators whose name starts with {@code operatorPrefix}. */
    public static long gaugeSum(String name, String operatorPrefix) {
        long sum = 0;
        for (Metric m : operatorMetrics(name, operatorPrefix)) {
            if (m instanceof Gauge<?> g && g.getValue() instanceof Number n) {
                sum += n.longValue();
            }
        }
        return sum;
    }

    /** The least of numeric gauges called {@code name} over matching operators' subtasks; Long.MIN_VALUE if none. */
    public static long gaugeMin(String name, String operatorPrefix) {
        long min = Long.MAX_VALUE;
        boolean any = false;
        for (Metric m : operatorMetrics(name, operatorPrefix)) {
            if (m instanceof Gauge<?> g && g.getValue() instanceof Number n) {
                min = Math.min(min, n.longValue());
                any = true;
            }
        }
        return any ? min : Long.MIN_VALUE;
    }

    /** The largest quantile {@code q} of histograms called {@code name} over matching operators' subtasks; -1 if none. */
    public static double histogramQuantile(String name, String operatorPrefix, double q) {
        double max = -1;
        for (Metric m : operatorMetrics(name, operatorPrefix)) {
            if (m instanceof Histogram h && h.getCount() > 0) {
                max = Math.max(max, h.getStatistics().getQuantile(q));
            }
        }
        return max;
    }

    /** Metrics called {@code name} on every subtask of operators whose name starts with {@code operatorPrefix}. */
    private static List<Metric> operatorMetrics(String name, String operatorPrefix) {
        List<Metric> found = new ArrayList<>();
        for (Captured c : BY_NAME.getOrDefault(name, List.of())) {
            if (c.operator != null && c.operator.startsWith(operatorPrefix)) {
                found.add(c.metric);
            }
        }
        return found;
    }

    /**
     * Sum of task-level gauges called {@code name} (no operator) over the subtasks of tasks whose
     * name starts with {@code taskPrefix}; a chained task is named after its first operator.
     */
    public static long taskGaugeSum(String name, String taskPrefix) {
        long sum = 0;
        for (Captured c : BY_NAME.getOrDefault(name, List.of())) {
            if (c.operator == null && c.task != null && c.task.startsWith(taskPrefix)
                    && c.metric instanceof Gauge<?> g && g.getValue() instanceof Number n) {
                sum += n.longValue();
            }
        }
        return sum;
    }

    /** A job-level gauge's numeric value, or -1 while it is not registered. */
    public static long jobGauge(String name) {
        for (Captured c : BY_NAME.getOrDefault(name, List.of())) {
            if (c.operator == null && c.task == null && c.metric instanceof Gauge<?> g
                    && g.getValue() instanceof Number n) {
                return n.longValue();
            }
        }
        return -1;
    }

    /** Operator names seen, for diagnosing a prefix that matches nothing. */
    public static List<String> operators() {
        List<String> names = new ArrayList<>();
        METRICS.values().stream().map(Captured::operator).filter(o -> o != null).distinct().forEach(names::add);
        return names;
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
        Map<String, String> variables = group.getAllVariables();
        String subtask = variables.get("<subtask_index>");
        Captured captured = new Captured(metricName, variables.get("<operator_name>"), variables.get("<task_name>"),
                subtask == null ? -1 : Integer.parseInt(subtask), metric);
        if (METRICS.put(metric, captured) == null) {
            BY_NAME.computeIfAbsent(metricName, k -> new CopyOnWriteArrayList<>()).add(captured);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
        // Kept on purpose: the last values of a finished job are still wanted; reset() clears.
    }
}
