package io.expansionsignals.reliability;

import static io.expansionsignals.testutils.ReliabilityHarness.assertSameAsCleanRun;
import static io.expansionsignals.testutils.ReliabilityHarness.await;
import static io.expansionsignals.testutils.ReliabilityHarness.faultySignals;
import static io.expansionsignals.testutils.ReliabilityHarness.fixedDelayRestarts;
import static io.expansionsignals.testutils.ReliabilityHarness.startJob;
import static io.expansionsignals.testutils.ReliabilityHarness.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.expansionsignals.config.JobConfig;
import io.expansionsignals.schema.DeadLetter;
import io.expansionsignals.schema.ExpansionSignal;
import io.expansionsignals.schema.MrrMovement;
import io.expansionsignals.schema.SubscriptionEvent;
import io.expansionsignals.schema.UsageEvent;
import io.expansionsignals.testutils.CheckpointModes;
import io.expansionsignals.testutils.FaultInjectingSink;
import io.expansionsignals.testutils.ReliabilityHarness;
import io.expansionsignals.testutils.ReliabilityHarness.CleanRun;
import io.expansionsignals.testutils.ReliabilityHarness.Topics;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Faults inside the Flink runtime, injected by wrapping the job's real exactly-once Kafka sink for
 * expansion signals: a task failure while checkpoints run (aligned, and unaligned with interruptible
 * timers as deploy/k8s enables them), repeated failures up to and beyond the
 * restart strategy's attempts, and a slow sink (backpressure). After each, read_committed output
 * equals the pure engine's clean run over the same input, with no duplicates and no dead letters.
 */
class SinkFaultsITCase {
    private static final int ACCOUNTS = 30;
    @RegisterExtension
    static final ReliabilityHarness h = ReliabilityHarness.perTestClass();

    /** Subscriptions in and processed, so every later usage event meets a known plan. */
    private static List<String> subscribed(Topics topics, JobConfig config) throws Exception {
        List<String> accounts = Workload.accounts(ACCOUNTS);
        h.produce(topics.t("subscription-events"), SubscriptionEvent.class, Workload.created(accounts));
        assertThat(h.read(topics.t("mrr-movements"), MrrMovement.class, ACCOUNTS, Duration.ofSeconds(60))).hasSize(ACCOUNTS);
        return accounts;
    }

    private static void assertNoDeadLetters(Topics topics) {
        assertThat(h.read(topics.t("dead-letters"), DeadLetter.class, 1, Duration.ofSeconds(2))).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = CheckpointModes.class, names = {"ALIGNED", "UNALIGNED_WITH_INTERRUPTIBLE_TIMERS"})
    void aTaskFailureWhileCheckpointsRunRestartsTheJobAndLosesAndDuplicatesNothing(CheckpointModes checkpoints) throws Exception {
        Topics topics = h.newTopics("task-failure-" + checkpoints.ordinal());
        JobConfig config = h.config(topics);
        String planId = topics.prefix();
        FaultInjectingSink.Plan plan = FaultInjectingSink.plan(planId, List.of(), 0);
        Configuration flink = checkpoints.applyTo(fixedDelayRestarts(5, Duration.ofSeconds(1)));
        JobClient job = startJob(config, flink, faultySignals(planId));
        try {
            List<String> accounts = subscribed(topics, config);
            List<UsageEvent> first = Workload.usage(accounts, 0, 9); // 81,000: the 0.8 threshold
            List<UsageEvent> second = Workload.usage(accounts, 9, 12); // 108,000: the limit
            h.produce(topics.t("usage-events"), UsageEvent.class, first);
            // the first batch's signals committed: checkpoints are running; the failure comes in the next batch
            int firstSignals = new CleanRun().apply(config.engineSettings(), concat(Workload.created(accounts), first))
                    .signals().size();
            assertThat(h.read(topics.t("expansion-signals"), ExpansionSignal.class, firstSignals, Duration.ofSeconds(60)))
                    .hasSize(firstSignals);
            plan.arm(firstSignals + ACCOUNTS / 2);
            h.produce(topics.t("usage-events"), UsageEvent.class, second);
            CleanRun clean = new CleanRun().apply(config.engineSettings(), concat(Workload.created(accounts), first, second));

            List<ExpansionSignal> all = h.read(topics.t("expansion-signals"), ExpansionSignal.class, clean.signals().size(),
                    Duration.ofSeconds(90));
            assertThat(plan.failuresInjected.get()).as("the injected failure happened").isEqualTo(1);
            assertThat(plan.maxAttempt.get()).as("the job restarted by itself").isGreaterThanOrEqualTo(1);
            assertSameAsCleanRun(all, clean);
            assertNoDeadLetters(topics);
            assertThat(status(job)).isEqualTo(JobStatus.RUNNING);
            System.out.printf("[faults] task failure (%s): 1 injected failure after %d records, %d restart(s), recovery %s ms, "
                    + "%d signals (clean run %d)%n", checkpoints, firstSignals + ACCOUNTS / 2, plan.maxAttempt.get(),
                    plan.recoveryMillis(), all.size(), clean.signals().size());
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void repeatedFailuresAreEachRecoveredAndWhenTheAttemptsAreExhaustedTheJobFailsLoudly() throws Exception {
        Topics topics = h.newTopics("repeated");
        JobConfig config = h.config(topics);
        String planId = topics.prefix();
        FaultInjectingSink.Plan plan = FaultInjectingSink.plan(planId, List.of(12L, 40L, 70L), 0);
        JobClient job = startJob(config, fixedDelayRestarts(5, Duration.ofSeconds(1)), faultySignals(planId));
        List<String> accounts;
        List<UsageEvent> usage;
        try {
            accounts = subscribed(topics, config);
            usage = Workload.usage(accounts, 0, 12);
            h.produce(topics.t("usage-events"), UsageEvent.class, usage);
            CleanRun clean = new CleanRun().apply(config.engineSettings(), concat(Workload.created(accounts), usage));
            List<ExpansionSignal> all = h.read(topics.t("expansion-signals"), ExpansionSignal.class, clean.signals().size(),
                    Duration.ofSeconds(120));
            assertThat(plan.failuresInjected.get()).as("three injected failures").isEqualTo(3);
            assertThat(plan.maxAttempt.get()).as("three restarts").isGreaterThanOrEqualTo(3);
            assertSameAsCleanRun(all, clean);
            assertNoDeadLetters(topics);
            System.out.printf("[faults] repeated failures: 3 injected, max attempt %d, recoveries %s ms, %d signals%n",
                    plan.maxAttempt.get(), plan.recoveryMillis(), all.size());
        } finally {
            job.cancel().get();
        }

        // The same job with every write failing and two restart attempts: it must end FAILED, not run on.
        Topics doomed = h.newTopics("exhausted");
        JobConfig doomedConfig = h.config(doomed);
        String doomedPlan = doomed.prefix();
        FaultInjectingSink.Plan always = FaultInjectingSink.plan(doomedPlan, List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), 0);
        JobClient failing = startJob(doomedConfig, fixedDelayRestarts(2, Duration.ofMillis(500)), faultySignals(doomedPlan));
        h.produce(doomed.t("subscription-events"), SubscriptionEvent.class, Workload.created(accounts));
        h.produce(doomed.t("usage-events"), UsageEvent.class, usage);
        await("the job to fail once the restart attempts are exhausted", Duration.ofSeconds(90),
                () -> status(failing) == JobStatus.FAILED);
        assertThatThrownBy(() -> failing.getJobExecutionResult().get()).as("the job's result carries the cause")
                .hasStackTraceContaining("injected failure #3");
        assertThat(always.maxAttempt.get()).as("the first run and exactly 2 restarts").isEqualTo(2);
        assertThat(always.failuresInjected.get()).isEqualTo(3);
        assertThat(h.read(doomed.t("expansion-signals"), ExpansionSignal.class, 1, Duration.ofSeconds(2)))
                .as("nothing half-written is visible to read_committed").isEmpty();
        System.out.printf("[faults] exhausted restarts: %d failures, job status FAILED%n", always.failuresInjected.get());
    }

    @Test
    void aSlowSinkBackpressuresTheJobAndEverySignalArrives() throws Exception {
        Topics topics = h.newTopics("slow-sink");
        JobConfig config = h.config(topics);
        String planId = topics.prefix();
        long sleep = 40;
        FaultInjectingSink.Plan plan = FaultInjectingSink.plan(planId, List.of(), sleep);
        JobClient job = startJob(config, fixedDelayRestarts(5, Duration.ofSeconds(1)), faultySignals(planId));
        try {
            List<String> accounts = subscribed(topics, config);
            List<UsageEvent> usage = Workload.usage(accounts, 0, 12);
            long start = System.nanoTime();
            h.produce(topics.t("usage-events"), UsageEvent.class, usage);
            CleanRun clean = new CleanRun().apply(config.engineSettings(), concat(Workload.created(accounts), usage));
            List<ExpansionSignal> all = h.read(topics.t("expansion-signals"), ExpansionSignal.class, clean.signals().size(),
                    Duration.ofSeconds(120));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertSameAsCleanRun(all, clean);
            assertNoDeadLetters(topics);
            assertThat(plan.written.get()).as("every signal went through the slow writer").isGreaterThanOrEqualTo(all.size());
            assertThat(plan.maxAttempt.get()).as("no restart under backpressure").isZero();
            System.out.printf("[faults] slow sink: %d ms per record, %d signals committed in %d ms, no restart%n",
                    sleep, all.size(), millis);
        } finally {
            job.cancel().get();
        }
    }

    @SafeVarargs
    static <T> List<T> concat(List<? extends T>... lists) {
        List<T> out = new java.util.ArrayList<>();
        for (List<? extends T> l : lists) {
            out.addAll(l);
        }
        return out;
    }
}
