package io.expansionsignals.workload;

import io.expansionsignals.config.CatalogLoader;
import io.expansionsignals.io.registry.RegistrySettings;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;

/**
 * Produces the synthetic workload to Kafka until Ctrl-C (or {@code --steps}). Exit codes:
 * 0 done, 1 the run failed, 2 bad arguments.
 */
public final class WorkloadCli {
    private WorkloadCli() {}

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err));
    }

    /** main without System.exit, for tests: returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            out.println(WorkloadArgs.USAGE);
            return 0;
        }
        WorkloadSettings settings;
        try {
            settings = WorkloadArgs.parse(args, Clock.systemUTC());
        } catch (WorkloadArgs.BadArgument e) {
            err.println("workload: " + e.getMessage());
            err.println(WorkloadArgs.USAGE);
            return 2;
        }
        out.println("workload: " + settings.spec() + " -> " + settings.bootstrapServers()
                + ", rate " + settings.ratePerSecond() + "/s");
        WorkloadRunner runner = start(settings, out::println);
        Thread hook = new Thread(() -> {
            try {
                runner.close();
            } catch (Exception e) {
                err.println("workload: closing failed: " + e);
            }
        }, "workload-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        while (!runner.awaitTermination(Duration.ofSeconds(1))) {
            // the run ends by itself with --steps, or by Ctrl-C through the hook
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            return 0; // Ctrl-C: the hook closes the runner
        }
        runner.close(); // flushes the producer: the last records reach Kafka before exit
        out.println(runner.progressLine());
        return runner.failure() == null ? 0 : 1;
    }

    /**
     * Starts the workload against Kafka on a daemon thread; close the result to stop it and
     * flush the producer. For launchers that run it in-process next to the job.
     */
    public static WorkloadRunner start(WorkloadSettings settings, java.util.function.Consumer<String> progressOut) {
        Clock clock = Clock.systemUTC();
        WorkloadGenerator generator = new WorkloadGenerator(settings.spec(), CatalogLoader.load(null), clock);
        KafkaWorkloadSink sink = new KafkaWorkloadSink(settings.bootstrapServers(),
                RegistrySettings.of(settings.registryUrl()), settings.topics());
        return WorkloadRunner.start(new WorkloadRunner(generator, sink, settings.ratePerSecond(), settings.maxSteps(),
                clock, sink, progressOut, settings.progressInterval()));
    }
}
