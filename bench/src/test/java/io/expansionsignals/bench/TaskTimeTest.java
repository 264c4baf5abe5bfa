package io.expansionsignals.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TaskTimeTest {
    private final AtomicLong busy = new AtomicLong();
    private final AtomicLong idle = new AtomicLong();
    private final AtomicLong pressured = new AtomicLong();
    private final AtomicLong timers = new AtomicLong();

    @AfterEach
    void forget() {
        CaptureReporter.reset();
    }

    @Test
    void eachTenthSharesItsOwnWallTimeAndCountsItsOwnWorkPerThousandEvents() {
        CaptureReporter reporter = new CaptureReporter();
        register(reporter, "accumulateBusyTimeMs", busy);
        register(reporter, "accumulateIdleTimeMs", idle);
        register(reporter, "accumulateBackPressuredTimeMs", pressured);
        Map<String, LongSupplier> counters = new LinkedHashMap<>();
        counters.put("timers", timers::get);
        TaskTime time = new TaskTime("account engine", counters);

        time.mark(0);
        for (int t = 1; t <= 10; t++) {
            // tenth 2 waits for input half the time and fires 50 timers; the others only work
            busy.addAndGet(t == 2 ? 500 : 1_000);
            idle.addAndGet(t == 2 ? 500 : 0);
            pressured.addAndGet(t == 10 ? 1_000 : 0);
            timers.addAndGet(t == 2 ? 50 : 0);
            time.mark(t);
        }

        assertEquals("100/0/0 50/50/0 100/0/0 100/0/0 100/0/0 100/0/0 100/0/0 100/0/0 100/0/0 50/0/50", time.byTenth());
        // 1,000 events: 100 per tenth, so 50 timers in one tenth are 500 per 1,000 of its events
        assertEquals("timers 0 500 0 0 0 0 0 0 0 0", time.countsByTenth(1_000));
        assertEquals(true, time.countedAny());
    }

    @Test
    void theKeyedOperatorsEventTimeIsItsSlowestSubtasksWatermarkToTheHour() {
        CaptureReporter reporter = new CaptureReporter();
        AtomicLong first = new AtomicLong(Long.MIN_VALUE);
        AtomicLong second = new AtomicLong(Long.MIN_VALUE);
        reporter.notifyOfAddedMetric((Gauge<Long>) first::get, "currentOutputWatermark", operator("account engine"));
        reporter.notifyOfAddedMetric((Gauge<Long>) second::get, "currentOutputWatermark", operator("account engine"));
        reporter.notifyOfAddedMetric((Gauge<Long>) () -> 0L, "currentOutputWatermark", operator("portfolio metrics"));
        TaskTime time = new TaskTime("account engine", Map.of());
        time.mark(0);
        time.mark(1); // no watermark yet
        first.set(java.time.Instant.parse("2022-10-24T05:30:00Z").toEpochMilli());
        second.set(java.time.Instant.parse("2026-12-01T13:00:00Z").toEpochMilli());
        time.mark(2);

        assertEquals("– 2022-10-24T05 – – – – – – – –", time.watermarksByTenth());
    }

    @Test
    void aTenthNotReachedIsADash() {
        TaskTime time = new TaskTime("account engine", Map.of());
        time.mark(0);
        assertEquals("– – – – – – – – – –", time.byTenth());
        assertEquals(false, time.countedAny());
    }

    private static org.apache.flink.metrics.MetricGroup operator(String name) {
        return new UnregisteredMetricsGroup() {
            @Override
            public Map<String, String> getAllVariables() {
                return Map.of("<operator_name>", name);
            }
        };
    }

    private static void register(CaptureReporter reporter, String name, AtomicLong value) {
        reporter.notifyOfAddedMetric((Gauge<Long>) value::get, name, new UnregisteredMetricsGroup() {
            @Override
            public Map<String, String> getAllVariables() {
                return Map.of("<task_name>", "account engine -> sinks (1/1)");
            }
        });
    }
}
