package io.expansionsignals.local;

import io.expansionsignals.config.ExpansionSignalsOptions;
import io.expansionsignals.config.JobConfig;
import io.expansionsignals.pipeline.KafkaJob;
import io.expansionsignals.testutils.EmbeddedKafka;
import io.expansionsignals.testutils.EmbeddedSchemaRegistry;
import io.expansionsignals.workload.WorkloadCli;
import io.expansionsignals.workload.WorkloadRunner;
import io.expansionsignals.workload.WorkloadSettings;
import io.expansionsignals.workload.WorkloadSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The README's run command: an in-process KRaft broker, the Apicurio registry (Confluent API),
 * the synthetic workload, and the real job on a local Flink cluster with its web UI; signals are
 * printed as they are committed. Ctrl-C stops everything in reverse order.
 *
 * <p>Arguments are the job's own settings (e.g. {@code --usage.period DAY}); the broker and
 * registry addresses are filled in. {@code -Dlocal.accounts=500} and {@code -Dlocal.rate=3000}
 * size the workload, {@code -Dlocal.ui-port=8081} moves the web UI.
 */
public final class LocalStack {
    public static void main(String[] args) throws Exception {
        int uiPort = Integer.getInteger("local.ui-port", 8081);
        System.out.println("Starting Kafka (KRaft, in-process) ...");
        EmbeddedKafka kafka = EmbeddedKafka.start();
        System.out.println("Starting the schema registry (Apicurio, Confluent API) ...");
        EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start();
        List<String> jobArgs = new ArrayList<>(List.of(
                "--kafka.bootstrap-servers", kafka.bootstrapServers(),
                "--registry.url", registry.url(),
                "--checkpoint.interval", "2 s",
                "--watermark.idleness", "2 s"));
        jobArgs.addAll(List.of(args));
        JobConfig config = JobConfig.fromArgs(jobArgs.toArray(String[]::new));
        kafka.createTopics(2, ExpansionSignalsOptions.topics().stream().map(config::get).toList());

        Configuration conf = KafkaJob.flinkConfiguration(config);
        conf.set(RestOptions.PORT, uiPort);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
        env.setParallelism(2);
        KafkaJob.create(config, env, DeliveryGuarantee.EXACTLY_ONCE);
        JobClient job = env.executeAsync("expansion-signals (local)");
        System.out.println("Flink web UI: http://localhost:" + uiPort + "   job " + job.getJobID());

        WorkloadSpec spec = WorkloadSpec.defaults(Instant.now());
        WorkloadSettings workload = new WorkloadSettings(kafka.bootstrapServers(), registry.url(),
                spec.withAccounts(Integer.getInteger("local.accounts", spec.accounts())),
                // fast enough to replay ~200 days of history in a few minutes, then it follows the clock
                Double.parseDouble(System.getProperty("local.rate", "3000")), Long.MAX_VALUE,
                io.expansionsignals.workload.WorkloadTopics.DEFAULTS, WorkloadSettings.DEFAULT_PROGRESS_INTERVAL);
        WorkloadRunner generator = WorkloadCli.start(workload, line -> System.out.println("  workload  " + line));
        SignalConsole console = new SignalConsole(kafka.bootstrapServers(), registry.url(),
                config.get(ExpansionSignalsOptions.TOPIC_EXPANSION_SIGNALS), config.get(ExpansionSignalsOptions.TOPIC_CHURN_RISK),
                config.get(ExpansionSignalsOptions.TOPIC_DEAD_LETTERS), config.get(ExpansionSignalsOptions.TOPIC_PORTFOLIO_METRICS),
                System.out);
        Thread consoleThread = new Thread(console, "signal-console");
        consoleThread.start();
        System.out.println("Signals appear below as each checkpoint commits them (Ctrl-C to stop).");

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping: workload, job, console, registry, broker ...");
            quietly(generator::close);
            quietly(() -> job.cancel().get());
            console.stop();
            quietly(() -> consoleThread.join(3_000));
            quietly(registry::close);
            quietly(kafka::close);
            stopped.countDown();
        }, "local-stack-shutdown"));
        stopped.await();
    }

    private interface Action {
        void run() throws Exception;
    }

    private static void quietly(Action a) {
        try {
            a.run();
        } catch (Exception e) {
            System.err.println("  (while stopping) " + e);
        }
    }
}
