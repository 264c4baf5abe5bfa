package io.expansionsignals.reliability;

import static io.expansionsignals.testutils.Events.delta;
import static io.expansionsignals.testutils.ReliabilityHarness.await;
import static io.expansionsignals.testutils.ReliabilityHarness.faultySignals;
import static io.expansionsignals.testutils.ReliabilityHarness.fixedDelayRestarts;
import static io.expansionsignals.testutils.ReliabilityHarness.latestPerAccount;
import static io.expansionsignals.testutils.ReliabilityHarness.startJob;
import static org.assertj.core.api.Assertions.assertThat;

import io.expansionsignals.config.JobConfig;
import io.expansionsignals.schema.AccountHealth;
import io.expansionsignals.schema.ExpansionSignal;
import io.expansionsignals.schema.MrrMovement;
import io.expansionsignals.schema.ExpansionSignalType;
import io.expansionsignals.schema.SubscriptionEvent;
import io.expansionsignals.schema.UsageEvent;
import io.expansionsignals.testutils.CheckpointModes;
import io.expansionsignals.testutils.FaultInjectingSink;
import io.expansionsignals.testutils.ReliabilityHarness;
import io.expansionsignals.testutils.ReliabilityHarness.Topics;
import io.expansionsignals.workload.KafkaWorkloadSink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A timer burst on the real runtime: accounts that signed up together 200 days ago, then one usage
 * event on each input partition (of an account with nothing due) moves the watermark past every
 * account's renewals and milestones, and while that burst runs each account's next usage event arrives. The sink writes each
 * signal slowly, so the burst outlasts many checkpoint intervals. Without interruptible timers the
 * events wait for the whole burst. With them (as deploy/k8s runs the job) Flink takes records and
 * barriers between the timers of one watermark: an event reaches its account before the account's
 * timer has fired, and a checkpoint completes half way through the burst. The outputs must be those
 * of the job that fires the whole burst first, also after a failure restores such a checkpoint.
 */
class TimerBurstITCase {
    private static final int ACCOUNTS = 1_000;
    /** How long the signal sink takes per record: about 3 s for the burst's milestone signals. */
    private static final long SINK_MILLIS_PER_SIGNAL = 1;
    private static final Instant NEXT_USAGE = Workload.BASE;
    private static final Instant SIGNED_UP = NEXT_USAGE.minus(200, ChronoUnit.DAYS);
    /** 85 % of the starter plan's 100,000 api_calls a month: one usage-threshold signal per account. */
    private static final long USAGE = 85_000;
    private static final List<String> EACH_ACCOUNTS_SIGNALS = List.of(
            "MILESTONE DAY_180_BUSINESS_REVIEW", "MILESTONE DAY_30_CHECK_IN", "MILESTONE DAY_90_REVIEW",
            "USAGE_THRESHOLD api_calls@0.8");
    private static final int PARTITIONS = 2; // ReliabilityHarness#newTopics

    // Made once, so that every run reads the same event ids (signals carry their cause's).
    private static final List<String> ACCOUNT_IDS = Workload.accounts(ACCOUNTS);
    private static final Set<String> ACCOUNT_SET = Set.copyOf(ACCOUNT_IDS);
    private static final List<SubscriptionEvent> SIGN_UPS = Workload.created(ACCOUNT_IDS, SIGNED_UP);
    private static final List<UsageEvent> USAGE_EVENTS = nextUsage(ACCOUNT_IDS);
    /**
     * One usage event on each input partition, of accounts with no subscription and so nothing due:
     * sent first, they carry the watermark past the burst. Their own outputs would depend on which
     * partition's watermark arrives first, so they are not among the accounts compared.
     */
    private static final List<UsageEvent> WATERMARK_MOVERS = oneOnEachPartition();

    @RegisterExtension
    static final ReliabilityHarness h = ReliabilityHarness.perTestClass();

    /** The job with Flink's default checkpoints, which fires a watermark's timers before the next record; run once. */
    private static Outputs aligned;

    /** What read_committed shows at the end, and how often an event did its account's due work before the timer. */
    record Outputs(List<ExpansionSignal> signals, List<MrrMovement> movements, Map<String, AccountHealth> latestHealth,
            long overtaken, int failures) {}

    @ParameterizedTest
    @EnumSource(value = CheckpointModes.class, names = {"AS_DEPLOYED", "UNALIGNED_WITH_INTERRUPTIBLE_TIMERS"})
    void eventsTakenInsideTheBurstGiveTheOutputsOfTheBurstFiredFirst(CheckpointModes mode) throws Exception {
        Outputs expected = aligned();
        Outputs actual = run(mode, false);
        assertThat(actual.overtaken()).as("events reached accounts whose due timers had not fired yet").isPositive();
        assertSameOutputs(actual, expected);
        System.out.printf("[timer burst] %s: %d of %d events did their account's due work before its timer%n", mode,
                actual.overtaken(), ACCOUNTS);
    }

    @ParameterizedTest
    @EnumSource(value = CheckpointModes.class, names = {"AS_DEPLOYED", "UNALIGNED_WITH_INTERRUPTIBLE_TIMERS"})
    void aFailureHalfWayThroughTheBurstRestoresToTheOutputsOfTheBurstFiredFirst(CheckpointModes mode) throws Exception {
        Outputs expected = aligned();
        Outputs actual = run(mode, true);
        assertThat(actual.failures()).as("the injected failure happened").isEqualTo(1);
        assertSameOutputs(actual, expected);
        System.out.printf("[timer burst] %s, failure half way: %d events before their timers%n", mode, actual.overtaken());
    }

    private static synchronized Outputs aligned() throws Exception {
        if (aligned == null) {
            aligned = run(CheckpointModes.ALIGNED, false);
            assertThat(aligned.overtaken()).as("without interruptible timers no event comes between a watermark's timers")
                    .isZero();
            Map<String, List<String>> perAccount = aligned.signals().stream().collect(Collectors.groupingBy(
                    ExpansionSignal::getAccountId, TreeMap::new,
                    Collectors.mapping(TimerBurstITCase::describe, Collectors.collectingAndThen(Collectors.toList(),
                            l -> l.stream().sorted().toList()))));
            assertThat(perAccount).hasSize(ACCOUNTS);
            assertThat(perAccount.values()).allSatisfy(signals -> assertThat(signals).isEqualTo(EACH_ACCOUNTS_SIGNALS));
        }
        return aligned;
    }

    private static Outputs run(CheckpointModes mode, boolean failHalfWay) throws Exception {
        Topics topics = h.newTopics("timer-burst-" + mode.name().toLowerCase() + (failHalfWay ? "-failure" : ""));
        JobConfig config = h.config(topics, "--checkpoint.interval", "100 ms");
        InMemoryReporter metrics = InMemoryReporter.createWithRetainedMetrics();
        Configuration flink = metrics.addToConfiguration(mode.applyTo(fixedDelayRestarts(3, Duration.ofMillis(500))));
        String planId = topics.prefix();
        FaultInjectingSink.Plan plan = FaultInjectingSink.plan(planId, List.of(), SINK_MILLIS_PER_SIGNAL);
        JobClient job = startJob(config, flink, faultySignals(planId));
        try {
            h.produceAtOnce(topics.t("subscription-events"), SubscriptionEvent.class, SIGN_UPS);
            assertThat(h.read(topics.t("mrr-movements"), MrrMovement.class, ACCOUNTS, Duration.ofSeconds(60)))
                    .as("every account signed up").hasSize(ACCOUNTS);
            h.produceAtOnce(topics.t("usage-events"), UsageEvent.class, WATERMARK_MOVERS);
            // the burst's first signal: the watermark has reached the accounts
            await("the burst to start", Duration.ofSeconds(60), () -> plan.written.get() > 0);
            if (failHalfWay) {
                plan.arm(plan.written.get() + 3L * ACCOUNTS / 2); // half of the burst's milestone signals
            }
            h.produceAtOnce(topics.t("usage-events"), UsageEvent.class, USAGE_EVENTS);
            List<ExpansionSignal> signals = h.read(topics.t("expansion-signals"), ExpansionSignal.class,
                    EACH_ACCOUNTS_SIGNALS.size() * ACCOUNTS, Duration.ofSeconds(120));
            // each account's last snapshot is its usage event's: once every account has it, the rest is committed too
            Map<String, AccountHealth> health = compared(h.readUntil(topics.t("account-health"), AccountHealth.class,
                    snapshots -> compared(snapshots).values().stream().filter(s -> s.getAsOf().equals(NEXT_USAGE)).count()
                            == ACCOUNTS,
                    Duration.ofSeconds(60)));
            List<MrrMovement> movements = h.read(topics.t("mrr-movements"), MrrMovement.class, ACCOUNTS, Duration.ofSeconds(10));
            return new Outputs(signals, movements, health, overtaken(metrics, job.getJobID()), plan.failuresInjected.get());
        } finally {
            job.cancel().get();
        }
    }

    private static List<UsageEvent> nextUsage(List<String> accounts) {
        return accounts.stream().map(a -> delta(a, "api_calls", USAGE, NEXT_USAGE)).toList();
    }

    /** The last snapshot of each compared account (the watermark movers' left out). */
    private static Map<String, AccountHealth> compared(List<AccountHealth> snapshots) {
        return latestPerAccount(snapshots.stream().filter(s -> ACCOUNT_SET.contains(s.getAccountId())).toList());
    }

    /** A usage event of a mover account on each partition of a two-partition topic, as the producer's partitioner places them. */
    private static List<UsageEvent> oneOnEachPartition() {
        Map<Integer, UsageEvent> movers = new TreeMap<>();
        for (int i = 0; movers.size() < PARTITIONS; i++) {
            String account = "watermark-mover-" + i;
            int partition = KafkaWorkloadSink.partitionOf(account.getBytes(StandardCharsets.UTF_8), PARTITIONS);
            movers.putIfAbsent(partition, delta(account, "api_calls", 1, NEXT_USAGE));
        }
        return List.copyOf(movers.values());
    }

    /**
     * The account operator's timers_overtaken counters of {@code job}, summed over subtasks and
     * attempts (a restarted attempt counts afresh; the reporter keeps the failed one's).
     */
    private static long overtaken(InMemoryReporter metrics, JobID job) {
        long sum = 0;
        for (var group : metrics.getMetricsByGroup().entrySet()) {
            if (job.toString().equals(group.getKey().getAllVariables().get("<job_id>"))
                    && group.getValue().get("timers_overtaken") instanceof Counter counter) {
                sum += counter.getCount();
            }
        }
        return sum;
    }

    private static void assertSameOutputs(Outputs actual, Outputs expected) {
        assertThat(actual.signals()).extracting(ExpansionSignal::getSignalId).as("no duplicate signals").doesNotHaveDuplicates();
        assertThat(actual.signals().stream().map(ReliabilityHarness::comparable).toList()).as("signals")
                .containsExactlyInAnyOrderElementsOf(expected.signals().stream().map(ReliabilityHarness::comparable).toList());
        assertThat(actual.movements()).extracting(MrrMovement::getMovementId).as("no duplicate movements").doesNotHaveDuplicates();
        assertThat(actual.movements()).as("movements").containsExactlyInAnyOrderElementsOf(expected.movements());
        assertThat(actual.latestHealth()).as("each account's latest health").isEqualTo(expected.latestHealth());
    }

    private static String describe(ExpansionSignal s) {
        return s.getType() == ExpansionSignalType.MILESTONE ? "MILESTONE " + s.getMilestone()
                : s.getType() + " " + s.getMetric() + "@" + s.getLevel();
    }
}
