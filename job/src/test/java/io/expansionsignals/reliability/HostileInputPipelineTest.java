package io.expansionsignals.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.expansionsignals.domain.EngineSettings;
import io.expansionsignals.functions.AccountEvents;
import io.expansionsignals.pipeline.ExpansionSignalsPipeline;
import io.expansionsignals.pipeline.OutputSinks;
import io.expansionsignals.schema.AccountHealth;
import io.expansionsignals.schema.ChurnRiskSignal;
import io.expansionsignals.schema.DeadLetter;
import io.expansionsignals.schema.ExpansionSignal;
import io.expansionsignals.schema.MrrMovement;
import io.expansionsignals.schema.internal.DecodedRecord;
import io.expansionsignals.testutils.CollectingSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue #6 (c) and (2) at the Flink level: 20,000 hostile records, decoded by the real
 * deserializer, through the real operator ({@link ExpansionSignalsPipeline#defineWorkflow}) on a
 * MiniCluster. The hostile run (dead letters, duplicates, accounts spread over three sources that
 * interleave freely, each account's own events in one source and in order) must give exactly the
 * dead letters that were injected and exactly the signals, risk signals and MRR movements of the
 * clean run of the same logical input (valid first deliveries only, one source).
 *
 * <p>Periodic watermarks are off, so every timer fires at the end of input in both runs: the
 * comparison is about duplicates and interleaving, not about when a watermark happened to pass.
 */
class HostileInputPipelineTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    record Outputs(List<ExpansionSignal> expansion, List<ChurnRiskSignal> churn, List<MrrMovement> movements,
            List<DeadLetter> deadLetters) {}

    @Test
    void deadLettersEqualTheInjectedInvalidRecordsAndDuplicatesAndInterleavingChangeNoOutput() throws Exception {
        int count = Integer.getInteger("reliability.pipeline.records", HostileInputFuzzTest.LONG ? 200_000 : 20_000);
        EngineSettings settings = HostileInputFuzzTest.settings();
        List<HostileInput.Input> inputs = HostileInput.generate(HostileInputFuzzTest.SEED + 1, count, 0.2);
        HostileInputFuzzTest.Decoded decoded = HostileInputFuzzTest.decodeAll(inputs, settings);
        assertThat(decoded.failures).isEmpty();

        List<List<DecodedRecord>> hostile = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        List<DecodedRecord> clean = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int injectedInvalid = 0;
        int duplicates = 0;
        for (DecodedRecord r : decoded.results) {
            if (AccountEvents.isDeadLetter(r)) {
                injectedInvalid++;
                hostile.get(injectedInvalid % 3).add(r);
                continue;
            }
            hostile.get(Math.floorMod(AccountEvents.accountId(r).hashCode(), 3)).add(r);
            if (seen.add(AccountEvents.eventId(r))) {
                clean.add(r);
            } else {
                duplicates++;
            }
        }

        long t0 = System.nanoTime();
        Outputs h = run("hostile", settings, hostile);
        long t1 = System.nanoTime();
        Outputs c = run("clean", settings, List.of(clean));
        long t2 = System.nanoTime();
        System.out.printf("hostile-input pipeline: %,d records (%,d invalid, %,d duplicates) in %.1f s, clean run of %,d in %.1f s: "
                        + "%,d dead letters, %,d expansion signals, %,d churn-risk signals, %,d MRR movements%n",
                inputs.size(), injectedInvalid, duplicates, (t1 - t0) / 1e9, clean.size(), (t2 - t1) / 1e9,
                h.deadLetters().size(), h.expansion().size(), h.churn().size(), h.movements().size());

        assertThat(h.deadLetters()).hasSize(injectedInvalid).hasSize(decoded.dead);
        assertThat(c.deadLetters()).isEmpty();
        assertThat(h.expansion()).extracting(ExpansionSignal::getSignalId).doesNotHaveDuplicates();
        assertThat(h.churn()).extracting(ChurnRiskSignal::getSignalId).doesNotHaveDuplicates();
        assertThat(h.expansion()).isNotEmpty();
        assertThat(h.expansion()).extracting(ExpansionSignal::getSignalId)
                .containsExactlyInAnyOrderElementsOf(c.expansion().stream().map(ExpansionSignal::getSignalId).toList());
        assertThat(h.churn()).extracting(ChurnRiskSignal::getSignalId)
                .containsExactlyInAnyOrderElementsOf(c.churn().stream().map(ChurnRiskSignal::getSignalId).toList());
        assertThat(h.movements()).extracting(HostileInputPipelineTest::describe)
                .containsExactlyInAnyOrderElementsOf(c.movements().stream().map(HostileInputPipelineTest::describe).toList());
    }

    private static String describe(MrrMovement m) {
        return m.getAccountId() + " " + m.getType() + " " + m.getDeltaMinor() + " " + m.getOccurredAt();
    }

    private static Outputs run(String name, EngineSettings settings, List<List<DecodedRecord>> sources) throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(PipelineOptions.AUTO_WATERMARK_INTERVAL, Duration.ZERO);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        var expansion = new CollectingSink<ExpansionSignal>(name + "-expansion");
        var churn = new CollectingSink<ChurnRiskSignal>(name + "-churn");
        var health = new CollectingSink<AccountHealth>(name + "-health");
        var movements = new CollectingSink<MrrMovement>(name + "-movements");
        var deadLetters = new CollectingSink<DeadLetter>(name + "-dead");
        var portfolio = new CollectingSink<io.expansionsignals.schema.PortfolioMetrics>(name + "-portfolio");
        List<DataStream<DecodedRecord>> inputs = new ArrayList<>();
        for (List<DecodedRecord> records : sources) {
            inputs.add(env.fromData(records, new AvroTypeInfo<>(DecodedRecord.class)).setParallelism(1)
                    .assignTimestampsAndWatermarks(ExpansionSignalsPipeline.watermarks(Duration.ofHours(3), Duration.ofSeconds(5)))
                    .setParallelism(1));
        }
        ExpansionSignalsPipeline.defineWorkflow(inputs, new OutputSinks(expansion, churn, health, movements, deadLetters, portfolio),
                // The duplicates here repeat records from anywhere earlier in 540 simulated days: a window
                // covering all of it, so every one must be recognised (window bounds: RecentEventIdsTest).
                settings, Duration.ofDays(3650), Duration.ofDays(400));
        env.execute(name);
        return new Outputs(expansion.results(), churn.results(), movements.results(), deadLetters.results());
    }
}
