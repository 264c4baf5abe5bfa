package io.expansionsignals.bench;

import io.expansionsignals.workload.CountingSink;
import io.expansionsignals.workload.KafkaWorkloadSink;
import io.expansionsignals.workload.WorkloadGenerator;
import io.expansionsignals.workload.WorkloadSpec;
import io.expansionsignals.workload.WorkloadTopics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Fills the three input topics once per account count with the project's own workload
 * generator (duplicates, out-of-order and malformed records included), in the Confluent wire
 * format; every variant then reads these same records from the beginning.
 */
public final class Preloader {
    /** Far enough back that even a small population needs no future events to reach the target count. */
    private static final Duration HISTORY = Duration.ofDays(1500);

    /**
     * What was loaded. {@code records} counts every record in the topics, malformed ones included;
     * {@code end} is the simulated time the generator reached, the input's latest event time.
     */
    public record Loaded(WorkloadTopics topics, int accounts, long records, double seconds, Instant end) {}

    private Preloader() {}

    /** @param name distinguishes topic sets, e.g. the warm-up round from the measured one */
    public static Loaded load(Infra infra, String name, int accounts, long targetRecords) throws Exception {
        WorkloadSpec spec = WorkloadSpec.defaults(Instant.now()).withAccounts(accounts).withStart(Instant.now().minus(HISTORY));
        return load(infra, name + "-" + accounts + ".", spec, sink -> sink.total() >= targetRecords,
                "more accounts or fewer events");
    }

    /**
     * A cohort: {@code accounts} that all sign up within {@code window}, and their first {@code steps}
     * steps of the generator (6 h each). Their renewals and tenure milestones fall due together.
     */
    public static Loaded loadCohort(Infra infra, int accounts, Duration window, int steps) throws Exception {
        WorkloadSpec spec = WorkloadSpec.defaults(Instant.now()).withAccounts(accounts).withStart(Instant.now().minus(HISTORY))
                .withSignupWindow(window);
        int[] ran = {0};
        return load(infra, "cohort-" + accounts + ".", spec, sink -> ran[0]++ >= steps, "fewer steps");
    }

    private static Loaded load(Infra infra, String prefix, WorkloadSpec spec, Predicate<CountingSink> done, String hint)
            throws Exception {
        WorkloadTopics topics = new WorkloadTopics(prefix + "subscription-events", prefix + "usage-events",
                prefix + "engagement-events");
        infra.createTopics(List.of(topics.subscription(), topics.usage(), topics.engagement()));
        WorkloadGenerator generator = new WorkloadGenerator(spec);
        long start = System.nanoTime();
        // A large batch and linger: the producer, not the generator, bounds the loading speed otherwise.
        var props = KafkaWorkloadSink.producerProperties(infra.bootstrap(),
                Map.of("batch.size", "262144", "linger.ms", "20", "buffer.memory", "134217728"));
        CountingSink sink;
        try (KafkaWorkloadSink kafka = new KafkaWorkloadSink(new org.apache.kafka.clients.producer.KafkaProducer<>(props),
                infra.registry(), topics)) {
            sink = new CountingSink(kafka);
            while (!done.test(sink)) {
                if (!generator.tick(sink)) {
                    throw new IllegalStateException("simulated time reached now after " + sink.total() + " records: " + hint);
                }
            }
        }
        return new Loaded(topics, spec.accounts(), sink.total(), (System.nanoTime() - start) / 1e9, generator.simulatedNow());
    }
}
