package io.expansionsignals.pipeline;

import static io.expansionsignals.testutils.Events.activeUsers;
import static io.expansionsignals.testutils.Events.created;
import static io.expansionsignals.testutils.Events.day;
import static io.expansionsignals.testutils.Events.delta;
import static io.expansionsignals.testutils.Events.paymentFailed;
import static io.expansionsignals.testutils.Events.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import io.expansionsignals.domain.EngineSettings;
import io.expansionsignals.functions.AccountEvents;
import io.expansionsignals.schema.AccountHealth;
import io.expansionsignals.schema.ChurnRiskSignal;
import io.expansionsignals.schema.DeadLetter;
import io.expansionsignals.schema.DeadLetterReason;
import io.expansionsignals.schema.ExpansionSignal;
import io.expansionsignals.schema.MrrMovement;
import io.expansionsignals.schema.PortfolioMetrics;
import io.expansionsignals.schema.Segment;
import io.expansionsignals.schema.SubscriptionEventType;
import io.expansionsignals.schema.UsageEvent;
import io.expansionsignals.schema.internal.DecodedRecord;
import io.expansionsignals.testutils.Catalogs;
import io.expansionsignals.testutils.CollectingSink;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The whole pipeline on a MiniCluster, from bounded sources, with a scripted multi-account scenario. */
class ExpansionSignalsPipelineTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final EngineSettings SETTINGS = EngineSettings.builder().fx(Catalogs.fx()).catalog(Catalogs.standard()).build();

    @Test
    void aScriptedScenarioProducesExactlyTheExpectedSignals() throws Exception {
        UsageEvent retried = delta("acme", "api_calls", 1_600, day(3));
        // Across topics Kafka gives no order, so each account's events come from one source in
        // event-time order here; the sources still interleave freely with each other.
        List<Object> acmeAndGamma = List.of(
                created("acme", day(0), 10_000, Map.of()),
                subscription("gamma", SubscriptionEventType.CREATED, day(0)).setCurrency("EUR").setStartDate(day(0)).build(),
                delta("acme", "api_calls", 8_500, day(2)),
                retried,
                retried, // a producer retry: the same eventId twice
                paymentFailed("gamma", day(5)),
                subscription("gamma", SubscriptionEventType.CANCELLATION_SCHEDULED, day(6)).setCurrency("EUR")
                        .setEffectiveAt(day(20)).build());
        List<Object> beta = List.of(
                subscription("beta", SubscriptionEventType.CREATED, day(0)).setSegment(Segment.ENTERPRISE).setStartDate(day(0)).build(),
                activeUsers("beta", 10, day(4)));
        List<Object> rejected = List.of(
                DeadLetter.newBuilder().setReason(DeadLetterReason.UNKNOWN_PLAN).setDetail("planId 'x'")
                        .setSourceTopic("subscription-events").setPartition(0).setOffset(7).setFailedAt(Instant.now()).build());

        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        var expansion = new CollectingSink<ExpansionSignal>("expansion");
        var churn = new CollectingSink<ChurnRiskSignal>("churn");
        var health = new CollectingSink<AccountHealth>("health");
        var movements = new CollectingSink<MrrMovement>("movements");
        var deadLetters = new CollectingSink<DeadLetter>("dead");
        var portfolio = new CollectingSink<PortfolioMetrics>("portfolio");
        ExpansionSignalsPipeline.defineWorkflow(
                List.of(bounded(env, acmeAndGamma), bounded(env, beta), bounded(env, rejected)),
                new OutputSinks(expansion, churn, health, movements, deadLetters, portfolio),
                SETTINGS, Duration.ofDays(7), Duration.ofDays(400));
        env.execute("scenario");

        assertThat(expansion.results()).extracting(s -> s.getAccountId() + " " + s.getType() + " "
                        + (s.getMilestone() != null ? s.getMilestone() : s.getMetric() + "@" + s.getLevel()))
                .containsExactlyInAnyOrder(
                        "acme USAGE_THRESHOLD api_calls@0.8",
                        "acme LIMIT_REACHED api_calls@1.0",
                        "acme MILESTONE DAY_30_CHECK_IN",
                        "acme MILESTONE DAY_90_REVIEW",
                        "acme MILESTONE DAY_180_BUSINESS_REVIEW",
                        "beta SEAT_THRESHOLD seats@1.0",
                        "beta MILESTONE DAY_30_CHECK_IN",
                        "beta MILESTONE DAY_90_REVIEW",
                        "beta MILESTONE DAY_180_BUSINESS_REVIEW");
        assertThat(expansion.results()).filteredOn(s -> s.getAccountId().equals("beta") && s.getMilestone() == null)
                .singleElement().satisfies(s -> assertThat(s.getChannel().name()).isEqualTo("CSM_CALL"));
        assertThat(expansion.results()).extracting(ExpansionSignal::getSignalId).doesNotHaveDuplicates();
        assertThat(churn.results()).extracting(s -> s.getAccountId() + " " + s.getType())
                .containsExactly("gamma PAYMENT_FAILURE");
        assertThat(movements.results()).extracting(m -> m.getAccountId() + " " + m.getType() + " " + m.getDeltaMinor())
                .containsExactlyInAnyOrder("acme NEW 10000", "beta NEW 10000", "gamma NEW 11000", "gamma CHURN -11000");
        assertThat(deadLetters.results()).singleElement()
                .satisfies(d -> assertThat(d.getReason()).isEqualTo(DeadLetterReason.UNKNOWN_PLAN));
        // January closes on the final watermark: the three NEW accounts (10,000 + 10,000 + EUR 110.00)
        // and gamma's churn on day 20.
        assertThat(portfolio.results()).filteredOn(m -> m.getSegment().equals("ALL") && m.getRevision() == 0)
                .first().satisfies(jan -> {
                    assertThat(jan.getPeriodStart()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
                    assertThat(jan.getStartMrrMinor()).isZero();
                    assertThat(jan.getNewMrrMinor()).isEqualTo(31_000);
                    assertThat(jan.getChurnMinor()).isEqualTo(11_000);
                    assertThat(jan.getEndMrrMinor()).isEqualTo(20_000);
                    assertThat(jan.getNrr()).isNull(); // nothing at the start of the period
                });
        assertThat(portfolio.results()).filteredOn(m -> m.getSegment().equals("ENTERPRISE"))
                .first().satisfies(m -> assertThat(m.getNewMrrMinor()).isEqualTo(10_000));
        assertThat(health.results()).filteredOn(h -> h.getAccountId().equals("gamma"))
                .last().satisfies(h -> assertThat(h.getMrrMinor()).isZero());
    }

    private static DataStream<DecodedRecord> bounded(StreamExecutionEnvironment env, List<Object> payloads) {
        List<DecodedRecord> records = new ArrayList<>();
        payloads.forEach(p -> records.add(AccountEvents.wrap(p)));
        return env.fromData(records, new AvroTypeInfo<>(DecodedRecord.class))
                .setParallelism(1)
                .assignTimestampsAndWatermarks(ExpansionSignalsPipeline.watermarks(Duration.ofHours(1), Duration.ofSeconds(5)))
                .setParallelism(1); // chained to the source: no rebalance, so each source keeps its order
    }
}
