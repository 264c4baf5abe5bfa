package io.expansionsignals.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CaptureReporterTest {
    private final CaptureReporter reporter = new CaptureReporter();

    @AfterEach
    void forget() {
        CaptureReporter.reset();
    }

    @Test
    void sumsANamedCounterOverTheOperatorsWithThePrefixOnly() {
        reporter.notifyOfAddedMetric(counter(5), "numRecordsIn", operator("account engine (1/2)"));
        reporter.notifyOfAddedMetric(counter(7), "numRecordsIn", operator("account engine (2/2)"));
        reporter.notifyOfAddedMetric(counter(100), "numRecordsIn", operator("portfolio metrics"));
        reporter.notifyOfAddedMetric(counter(1_000), "numRecordsOut", operator("account engine (1/2)"));
        assertEquals(12, CaptureReporter.counterSum("numRecordsIn", "account engine"));
        assertEquals(112, CaptureReporter.counterSum("numRecordsIn", ""));
        assertEquals(0, CaptureReporter.counterSum("numRecordsIn", "dead letters"));
    }

    @Test
    void countsPerSubtaskAreIndexedBySubtaskAndSumTheOperatorsWithThePrefix() {
        reporter.notifyOfAddedMetric(counter(5), "timers_due", operator("account engine", 1));
        reporter.notifyOfAddedMetric(counter(7), "timers_due", operator("account engine", 0));
        reporter.notifyOfAddedMetric(counter(2), "timers_due", operator("account engine (again)", 1));
        reporter.notifyOfAddedMetric(counter(100), "timers_due", operator("portfolio metrics", 0));
        reporter.notifyOfAddedMetric(counter(50), "timers_due", operator("account engine")); // no subtask: not counted
        reporter.notifyOfAddedMetric(counter(3), "timers_left_over", operator("account engine", 0));
        org.junit.jupiter.api.Assertions.assertArrayEquals(new long[] {7, 7},
                CaptureReporter.counterBySubtask("account engine", "timers_due"));
        org.junit.jupiter.api.Assertions.assertArrayEquals(new long[] {10, 7},
                CaptureReporter.counterBySubtask("account engine", "timers_due", "timers_left_over"));
        assertEquals(0, CaptureReporter.counterBySubtask("dead letters", "timers_due").length);
    }

    @Test
    void aJobGaugeIsOneWithoutAnOperatorAndResetForgetsIt() {
        Gauge<Long> completed = () -> 3L;
        reporter.notifyOfAddedMetric(completed, "numberOfCompletedCheckpoints", new UnregisteredMetricsGroup());
        assertEquals(3, CaptureReporter.jobGauge("numberOfCompletedCheckpoints"));
        CaptureReporter.reset();
        assertEquals(-1, CaptureReporter.jobGauge("numberOfCompletedCheckpoints"));
    }

    @Test
    void aTaskGaugeSumsOverTheSubtasksOfTasksWithThePrefixAndIsNotAJobGauge() {
        reporter.notifyOfAddedMetric((Gauge<Long>) () -> 300L, "accumulateBusyTimeMs", task("account engine -> sinks (1/2)"));
        reporter.notifyOfAddedMetric((Gauge<Long>) () -> 200L, "accumulateBusyTimeMs", task("account engine -> sinks (2/2)"));
        reporter.notifyOfAddedMetric((Gauge<Long>) () -> 900L, "accumulateBusyTimeMs", task("Source: usage (1/2)"));
        assertEquals(500, CaptureReporter.taskGaugeSum("accumulateBusyTimeMs", "account engine"));
        assertEquals(-1, CaptureReporter.jobGauge("accumulateBusyTimeMs"));
    }

    @Test
    void aMetricReportedTwiceCountsOnce() {
        SimpleCounter c = counter(4);
        MetricGroup group = operator("account engine");
        reporter.notifyOfAddedMetric(c, "numRecordsIn", group);
        reporter.notifyOfAddedMetric(c, "numRecordsIn", group);
        assertEquals(4, CaptureReporter.counterSum("numRecordsIn", "account engine"));
    }

    private static SimpleCounter counter(long count) {
        SimpleCounter c = new SimpleCounter();
        c.inc(count);
        return c;
    }

    private static MetricGroup task(String name) {
        return new UnregisteredMetricsGroup() {
            @Override
            public Map<String, String> getAllVariables() {
                return Map.of("<task_name>", name);
            }
        };
    }

    private static MetricGroup operator(String name, int subtask) {
        return new UnregisteredMetricsGroup() {
            @Override
            public Map<String, String> getAllVariables() {
                return Map.of("<operator_name>", name, "<subtask_index>", String.valueOf(subtask));
            }
        };
    }

    private static MetricGroup operator(String name) {
        return new UnregisteredMetricsGroup() {
            @Override
            public Map<String, String> getAllVariables() {
                return Map.of("<operator_name>", name);
            }
        };
    }
}
