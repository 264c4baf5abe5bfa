package io.expansionsignals.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A real Flink standalone session cluster for end-to-end tests: one JobManager JVM and one
 * TaskManager JVM (2 slots), started from the jars in {@code e2e/target/flink-lib} exactly as
 * flink-dist's scripts would start them, since flink-dist itself is not on Maven Central.
 *
 * <p>Unlike a MiniCluster, the TaskManager here can be killed with SIGKILL, so tests see real
 * failure detection (heartbeats), real restarts from checkpoints, real job-jar class loading and
 * the metric reporter's real HTTP endpoint. Typical use:
 *
 * <pre>{@code
 * try (StandaloneFlinkCluster cluster = StandaloneFlinkCluster.builder().start()) {
 *     FlinkRestClient rest = cluster.rest();
 *     String jobId = rest.runJar(rest.uploadJar(jar), MainClass.class.getName(), args, null, 2);
 *     rest.waitUntilAllVerticesRunning(jobId, Duration.ofSeconds(60));
 *     cluster.killTaskManager();
 *     cluster.startTaskManager();
 * }
 * }</pre>
 *
 * <p>Every cluster gets its own directory under {@code target/e2e-work} (conf, logs, checkpoints,
 * savepoints). It is kept after {@link #close()} so logs can be read after a failure;
 * {@link #logTails(int)} prints them.
 */
public final class StandaloneFlinkCluster implements AutoCloseable {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration REGISTRATION_TIMEOUT = Duration.ofSeconds(90);

    private final Path workDir;
    private final ClusterConfig config;
    private final FlinkJvmLauncher launcher;
    private final FlinkRestClient rest;
    private final List<FlinkProcess> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Thread shutdownHook = new Thread(this::killAll, "flink-e2e-cluster-shutdown");
    private FlinkProcess jobManager;
    private FlinkProcess taskManager;
    private int taskManagerCount;
    private Duration startupTime;

    private StandaloneFlinkCluster(Path flinkLib, Path workDir, Map<String, String> overrides)
            throws IOException, InterruptedException {
        this.workDir = workDir;
        this.config = new ClusterConfig(workDir, overrides);
        config.write();
        this.launcher = new FlinkJvmLauncher(flinkLib, workDir, config);
        this.rest = new FlinkRestClient(URI.create("http://localhost:" + config.restPort));
        // If the test JVM dies (or is interrupted) without close(), don't leave 2.5 GB of JVMs behind.
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options for the cluster; all have defaults that work under {@code ./mvnw -pl e2e verify}. */
    public static final class Builder {
        private Path flinkLib = Path.of(System.getProperty("flink.lib.dir", "target/flink-lib"));
        private Path workRoot = Path.of(System.getProperty("e2e.work.dir", "target/e2e-work"));
        private final Map<String, String> config = new LinkedHashMap<>();

        private Builder() {}

        /** Directory holding the cluster's jars (the module build fills {@code target/flink-lib}). */
        public Builder flinkLib(Path dir) {
            this.flinkLib = dir;
            return this;
        }

        /** Parent directory for the cluster's own working directory. */
        public Builder workRoot(Path dir) {
            this.workRoot = dir;
            return this;
        }

        /** Adds or overrides a {@code config.yaml} setting (e.g. a longer heartbeat timeout). */
        public Builder config(String key, String value) {
            config.put(key, value);
            return this;
        }

        /** Starts JobManager and one TaskManager; returns once the TaskManager has registered. */
        public StandaloneFlinkCluster start() throws IOException, InterruptedException, TimeoutException {
            String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));
            Path workDir = Files.createDirectories(workRoot.toAbsolutePath().resolve("cluster-" + stamp));
            StandaloneFlinkCluster cluster = new StandaloneFlinkCluster(flinkLib.toAbsolutePath(), workDir, config);
            try {
                cluster.startProcesses();
                return cluster;
            } catch (IOException | TimeoutException | RuntimeException e) {
                System.err.println(cluster.logTails(80));
                cluster.close();
                throw e;
            }
        }
    }

    private void startProcesses() throws IOException, TimeoutException {
        long start = System.nanoTime();
        // Both at once: the TaskManager retries its registration until the JobManager is up, and
        // on 2 cores overlapping the two JVM start-ups saves several seconds.
        jobManager = track(launcher.startJobManager());
        startTaskManagerProcess();
        Waits.until("REST endpoint " + rest.baseUri(), STARTUP_TIMEOUT,
                () -> {
                    requireAlive(jobManager);
                    return Optional.of(rest.overview());
                });
        awaitRegistration(taskManager);
        startupTime = Duration.ofNanos(System.nanoTime() - start);
    }

    // ---- accessors ----

    public FlinkRestClient rest() {
        return rest;
    }

    public URI restUri() {
        return rest.baseUri();
    }

    /** Wall time from launching the JVMs until the TaskManager registered (BashJavaUtils excluded). */
    public Duration startupTime() {
        return startupTime;
    }

    public Path workDir() {
        return workDir;
    }

    /** Default checkpoint directory ({@code execution.checkpointing.dir}). */
    public Path checkpointDir() {
        return config.checkpointDir;
    }

    /** Default savepoint directory ({@code execution.checkpointing.savepoint-dir}). */
    public Path savepointDir() {
        return config.savepointDir;
    }

    public Path logDir() {
        return launcher.logDir();
    }

    public long jobManagerPid() {
        return jobManager.pid();
    }

    public long taskManagerPid() {
        return taskManager.pid();
    }

    /** Resource id of the current TaskManager (as listed by {@code GET /taskmanagers}). */
    public String taskManagerId() {
        return taskManager.name;
    }

    // ---- failure injection ----

    /**
     * Kills the current TaskManager with SIGKILL and waits for the process to be gone. The
     * JobManager notices only through missed heartbeats (5 s here), as with a real crash.
     */
    public void killTaskManager() throws InterruptedException {
        FlinkProcess victim = taskManager;
        int exitCode = victim.kill9(Duration.ofSeconds(30));
        if (exitCode != FlinkProcess.SIGKILL_EXIT_CODE) {
            throw new IllegalStateException(victim.name + " exited with " + exitCode
                    + " instead of " + FlinkProcess.SIGKILL_EXIT_CODE + " (SIGKILL)");
        }
    }

    /** Starts a fresh TaskManager JVM and waits until it has registered with the JobManager. */
    public void startTaskManager() throws IOException, TimeoutException {
        if (taskManager != null && taskManager.isAlive()) {
            throw new IllegalStateException("TaskManager " + taskManager.name + " is still running; kill it first");
        }
        startTaskManagerProcess();
        awaitRegistration(taskManager);
    }

    private void startTaskManagerProcess() throws IOException {
        taskManagerCount++;
        taskManager = track(launcher.startTaskManager("taskmanager-" + taskManagerCount));
    }

    private void awaitRegistration(FlinkProcess tm) throws TimeoutException {
        Waits.until(tm.name + " registered", REGISTRATION_TIMEOUT, () -> {
            requireAlive(jobManager);
            requireAlive(tm);
            return rest.taskManagerIds().contains(tm.name) ? Optional.of(true) : Optional.empty();
        }, () -> "registered: " + rest.taskManagerIds());
    }

    private static void requireAlive(FlinkProcess process) {
        if (!process.isAlive()) {
            // Not an I/O hiccup, so Waits stops polling and surfaces the process's last words.
            throw new IllegalStateException(process.name + " died:\n" + process.tail(60));
        }
    }

    // ---- metrics ----

    /**
     * Scrapes the Prometheus reporter of the JobManager and of the live TaskManager and returns
     * both texts concatenated: job-level metrics ({@code flink_jobmanager_job_*}) come from the
     * former, task and operator metrics ({@code flink_taskmanager_job_task_operator_*}, including
     * the ones a job registers itself) from the latter.
     */
    public String prometheusMetrics() {
        return jobManagerPrometheusMetrics() + taskManagerPrometheusMetrics();
    }

    public String jobManagerPrometheusMetrics() {
        return scrape(jobManager);
    }

    public String taskManagerPrometheusMetrics() {
        return scrape(taskManager);
    }

    private String scrape(FlinkProcess process) {
        URI uri = URI.create("http://localhost:" + process.prometheusPort + "/metrics");
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            // Whether the reporter bound its port at all is in the process's log.
            throw new UncheckedIOException("scraping " + process.name + " at " + uri + " failed; its log on the reporter:\n"
                    + process.logLinesContaining("PrometheusReporter HTTP server"), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- diagnostics and shutdown ----

    /** Last lines of every process's log and stdout/stderr, TaskManagers first killed included. */
    public String logTails(int lines) {
        StringBuilder tails = new StringBuilder("Flink cluster work dir: " + workDir + "\n");
        for (FlinkProcess process : processes) {
            tails.append(process.tail(lines));
        }
        return tails.toString();
    }

    /**
     * Kills all processes (SIGKILL: nothing to preserve, and it is fast). Keeps conf, logs,
     * checkpoints and savepoints for diagnosis, but deletes {@code tmp/}: killed JVMs leave their
     * unpacked RPC jar and RocksDB working files there, ~100 MB per run.
     */
    @Override
    public void close() {
        killAll();
        deleteRecursively(config.tmpDir);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run; nothing to undo
        }
    }

    private void killAll() {
        // TaskManagers first so they don't log a storm of reconnect attempts into their files.
        for (int i = processes.size() - 1; i >= 0; i--) {
            FlinkProcess process = processes.get(i);
            if (process.isAlive()) {
                try {
                    process.kill9(Duration.ofSeconds(30));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (IllegalStateException e) {
                    System.err.println(e.getMessage());
                }
            }
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }

    private FlinkProcess track(FlinkProcess process) {
        processes.add(process);
        return process;
    }
}
