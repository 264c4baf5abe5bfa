package io.expansionsignals.io.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.expansionsignals.schema.ExpansionSignal;
import io.expansionsignals.schema.SubscriptionEvent;
import io.expansionsignals.schema.UsageEvent;
import io.expansionsignals.testutils.Events;
import io.expansionsignals.testutils.FaultInjectingSink;
import io.expansionsignals.testutils.ReliabilityHarness;
import io.expansionsignals.testutils.ReliabilityHarness.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The exactly-once sinks leave no Kafka client behind when the job restarts or stops: no producer
 * (the writers' pools, the committers') and no admin client. The connector's writer opens an admin
 * client at each start to list lingering transactions and does not close it;
 * {@link AdminClosingKafkaSink} does. Without it this run leaves 24 admin clients open (six sinks,
 * two subtasks, two attempts). Real job on a MiniCluster, real KRaft broker and registry.
 */
class SinkClientsITCase {
    private static final Instant BASE = Events.recentMidnight();
    /** The network threads of Kafka's admin clients and producers, named after the client. */
    private static final List<String> CLIENT_THREADS = List.of("kafka-admin-client-thread", "kafka-producer-network-thread");
    @RegisterExtension
    static final ReliabilityHarness h = ReliabilityHarness.perTestClass();

    @Test
    void aJobThatRestartedAndWasCancelledLeavesNoKafkaClientOpen() throws Exception {
        Topics topics = h.newTopics("clients");
        h.produce(topics.t("subscription-events"), SubscriptionEvent.class, List.of(TransactionNamingITCase.created("a", BASE)));
        h.produce(topics.t("usage-events"), UsageEvent.class, List.of(Events.delta("a", "api_calls", 85_000, BASE.plusSeconds(60))));
        Set<Thread> before = clientThreads();
        FaultInjectingSink.Plan plan = FaultInjectingSink.plan("clients", List.of(1L), 0); // the first signal fails its writer
        JobClient job = ReliabilityHarness.startJob(h.config(topics),
                ReliabilityHarness.fixedDelayRestarts(3, Duration.ofMillis(200)), ReliabilityHarness.faultySignals("clients"));
        try {
            assertThat(h.read(topics.t("expansion-signals"), ExpansionSignal.class, 1, Duration.ofSeconds(90))).hasSize(1);
            assertThat(plan.failuresInjected).as("the job restarted once").hasValue(1);
            assertThat(plan.maxAttempt).hasValue(1);
        } finally {
            job.cancel().get();
        }
        // the tasks close as the job cancels
        ReliabilityHarness.await(() -> "the Kafka client threads the job opened to end, still running: " + opened(before),
                Duration.ofSeconds(30), () -> opened(before).isEmpty());
    }

    private static Set<String> opened(Set<Thread> before) {
        return clientThreads().stream().filter(t -> !before.contains(t)).map(Thread::getName).collect(Collectors.toSet());
    }

    private static Set<Thread> clientThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && CLIENT_THREADS.stream().anyMatch(t.getName()::startsWith))
                .collect(Collectors.toSet());
    }
}
