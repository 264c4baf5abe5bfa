package io.expansionsignals.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.expansionsignals.config.CatalogLoader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkloadRunnerTest {
    private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

    private static WorkloadGenerator generator(Clock clock) {
        return new WorkloadGenerator(new WorkloadSpec(1, 20, START, Duration.ofHours(6), 0, 0, 0),
                CatalogLoader.load(null), clock);
    }

    @Test
    void runsTheRequestedStepsThenEnds() throws Exception {
        Clock clock = Clock.fixed(START.plus(Duration.ofDays(365)), ZoneOffset.UTC);
        CollectingSink sink = new CollectingSink();
        List<String> progress = new ArrayList<>();
        WorkloadRunner runner = WorkloadRunner.start(new WorkloadRunner(generator(clock), sink, 0, 40, clock, null,
                progress::add, Duration.ZERO));
        assertThat(runner.awaitTermination(Duration.ofSeconds(10))).isTrue();
        assertThat(runner.failure()).isNull();
        assertThat(runner.generator().stepsRun()).isEqualTo(40);
        assertThat(runner.counts().total()).isEqualTo(sink.records()).isPositive();
        assertThat(runner.progressLine()).contains("simulated 2025-01-11T00:00:00Z").contains("step 40");
        runner.close();
    }

    @Test
    void stopEndsAPacedRunPromptlyAndCloseClosesTheResource() throws Exception {
        Clock clock = Clock.fixed(START.plus(Duration.ofDays(365)), ZoneOffset.UTC);
        boolean[] closed = {false};
        // 20 records a second: unstopped, this run would take many minutes.
        WorkloadRunner runner = WorkloadRunner.start(new WorkloadRunner(generator(clock), new CollectingSink(), 20,
                Long.MAX_VALUE, clock, () -> closed[0] = true, s -> { }, Duration.ZERO));
        Thread.sleep(300);
        long before = System.nanoTime();
        runner.close();
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(2));
        assertThat(runner.awaitTermination(Duration.ZERO)).isTrue();
        assertThat(closed[0]).isTrue();
        assertThat(runner.counts().total()).isBetween(1L, 20L);
    }

    @Test
    void waitsForTheClockOnceCaughtUp() throws Exception {
        // The bound is one and a half steps ahead: one step runs, the second must wait.
        Clock clock = Clock.fixed(START.plus(Duration.ofHours(9)), ZoneOffset.UTC);
        WorkloadRunner runner = WorkloadRunner.start(new WorkloadRunner(generator(clock), new CollectingSink(), 0,
                Long.MAX_VALUE, clock, null, s -> { }, Duration.ZERO));
        assertThat(runner.awaitTermination(Duration.ofMillis(500))).isFalse();
        assertThat(runner.generator().simulatedNow()).isEqualTo(START.plus(Duration.ofHours(6)));
        runner.close();
        assertThat(runner.awaitTermination(Duration.ofSeconds(1))).isTrue();
    }
}
