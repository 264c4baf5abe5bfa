package io.expansionsignals.io.kafka;

import static io.expansionsignals.testutils.Events.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import io.expansionsignals.schema.BillingInterval;
import io.expansionsignals.schema.ExpansionSignal;
import io.expansionsignals.schema.Segment;
import io.expansionsignals.schema.SubscriptionEvent;
import io.expansionsignals.schema.SubscriptionEventType;
import io.expansionsignals.schema.UsageEvent;
import io.expansionsignals.testutils.Events;
import io.expansionsignals.testutils.ReliabilityHarness;
import io.expansionsignals.testutils.ReliabilityHarness.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionListing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How many transactional ids the exactly-once sinks leave on the broker, which keeps each one for
 * {@code transactional.id.expiration.ms} (7 days by default): a bounded handful with the default
 * POOLING naming, one more per sink subtask at every checkpoint with INCREMENTING. The job, the
 * KRaft broker and the registry are real; checkpoints every second, parallelism 2, six sinks.
 */
class TransactionNamingITCase {
    /** Ids POOLING may use: per sink subtask one in the open transaction, one being committed, one spare. */
    private static final int POOLED_IDS = 6 * 2 * 3;
    private static final Instant BASE = Events.recentMidnight();
    @RegisterExtension
    static final ReliabilityHarness h = ReliabilityHarness.perTestClass();

    @Test
    void pooledTransactionalIdsStayAFewPerSinkSubtaskCheckpointAfterCheckpoint() throws Exception {
        Set<String> ids = idsAfterTenCheckpoints();
        assertThat(ids).hasSizeGreaterThanOrEqualTo(6).hasSizeLessThanOrEqualTo(POOLED_IDS);
    }

    @Test
    void incrementingNamesTakeANewIdAtEveryCheckpoint() throws Exception {
        Set<String> ids = idsAfterTenCheckpoints("--kafka.transaction-naming", "INCREMENTING");
        assertThat(ids).hasSizeGreaterThan(POOLED_IDS);
    }

    /**
     * Runs the job until it has committed the output of an input sent ten checkpoint intervals after
     * its first output, then lists the broker's transactional ids under the job's prefix.
     */
    private static Set<String> idsAfterTenCheckpoints(String... extra) throws Exception {
        Topics topics = h.newTopics("tx");
        h.produce(topics.t("subscription-events"), SubscriptionEvent.class, List.of(created("a", BASE), created("b", BASE)));
        h.produce(topics.t("usage-events"), UsageEvent.class, List.of(Events.delta("a", "api_calls", 85_000, BASE.plusSeconds(60))));
        JobClient job = ReliabilityHarness.startJob(h.config(topics, extra), new Configuration());
        try {
            assertThat(h.read(topics.t("expansion-signals"), ExpansionSignal.class, 1, Duration.ofSeconds(60))).hasSize(1);
            Thread.sleep(10_000); // ten checkpoints at 1 s
            h.produce(topics.t("usage-events"), UsageEvent.class, List.of(Events.delta("b", "api_calls", 85_000, BASE.plusSeconds(120))));
            assertThat(h.read(topics.t("expansion-signals"), ExpansionSignal.class, 2, Duration.ofSeconds(60))).hasSize(2);
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", h.kafka.bootstrapServers()))) {
                String prefix = topics.prefix() + "tx-";
                return admin.listTransactions().all().get().stream().map(TransactionListing::transactionalId)
                        .filter(id -> id.startsWith(prefix)).collect(Collectors.toSet());
            }
        } finally {
            job.cancel().get();
        }
    }

    /** An SMB account on the starter plan from {@code at}. */
    static SubscriptionEvent created(String account, Instant at) {
        return subscription(account, SubscriptionEventType.CREATED, at).setSegment(Segment.SMB).setPlanId("starter")
                .setAmountMinor(4_900).setBillingInterval(BillingInterval.MONTHLY).setStartDate(at).build();
    }
}
