package io.expansionsignals.e2e;

import io.expansionsignals.testutils.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster's {@code conf/}: a Flink 2.x {@code config.yaml} and a log4j2 configuration.
 *
 * <p>Settings are flat dotted keys (Flink 2.x's YAML parser accepts them as well as nested
 * maps), each value single-quoted so YAML never reinterprets a path or a duration.
 * Per-process settings (Prometheus port, TaskManager resource id) are not written here; they are
 * passed as {@code -D key=value} program arguments so JobManager and TaskManagers can share one
 * conf directory.
 */
final class ClusterConfig {

    static final int SLOTS_PER_TASK_MANAGER = 2;
    static final String ALL_JAVA_OPTS = "env.java.opts.all";
    static final String TASK_MANAGER_JAVA_OPTS = "env.java.opts.taskmanager";
    static final String JOB_MANAGER_JAVA_OPTS = "env.java.opts.jobmanager";

    /**
     * Settings taken from deploy/k8s/base as they are: how timer bursts and checkpoints meet
     * (change 62 in docs/performance-history.md), and the task managers' JVM options (changes 17
     * and 32; only flink-dist's bash scripts read env.java.opts.*, FlinkJvmLauncher does what they do).
     */
    static final List<String> AS_DEPLOYED = List.of(
            "execution.checkpointing.unaligned.enabled",
            "execution.checkpointing.aligned-checkpoint-timeout",
            "execution.checkpointing.unaligned.interruptible-timers.enabled",
            TASK_MANAGER_JAVA_OPTS);

    final Path confDir;
    final Path checkpointDir;
    final Path savepointDir;
    final Path tmpDir;
    final int restPort;
    final int jobManagerRpcPort;
    private final Map<String, String> settings = new LinkedHashMap<>();

    ClusterConfig(Path workDir, Map<String, String> overrides) {
        this.confDir = workDir.resolve("conf");
        this.checkpointDir = workDir.resolve("checkpoints");
        this.savepointDir = workDir.resolve("savepoints");
        this.tmpDir = workDir.resolve("tmp");
        this.restPort = FreePorts.next();
        this.jobManagerRpcPort = FreePorts.next();

        // Everything on loopback: nothing here should be reachable from outside the machine.
        settings.put("jobmanager.rpc.address", "localhost");
        settings.put("jobmanager.rpc.port", Integer.toString(jobManagerRpcPort));
        settings.put("jobmanager.bind-host", "localhost");
        settings.put("rest.address", "localhost");
        settings.put("rest.bind-address", "localhost");
        settings.put("rest.port", Integer.toString(restPort));
        settings.put("taskmanager.host", "localhost");
        settings.put("taskmanager.bind-host", "localhost");
        // 0 = any free port: several TaskManagers (old one dying, new one starting) may coexist.
        settings.put("taskmanager.rpc.port", "0");
        settings.put("taskmanager.data.port", "0");
        settings.put("blob.server.port", "0");

        // Small processes: 2 cores and other builds share the machine.
        settings.put("jobmanager.memory.process.size", "1024m");
        settings.put("taskmanager.memory.process.size", "1536m");
        settings.put("taskmanager.numberOfTaskSlots", Integer.toString(SLOTS_PER_TASK_MANAGER));
        settings.put("parallelism.default", "1");

        // State as in production: RocksDB, incremental, file-system checkpoint storage.
        settings.put("state.backend.type", "rocksdb");
        settings.put("execution.checkpointing.incremental", "true");
        settings.putAll(DeployedSettings.of(AS_DEPLOYED));
        settings.put("execution.checkpointing.dir", checkpointDir.toUri().toString());
        settings.put("execution.checkpointing.savepoint-dir", savepointDir.toUri().toString());
        settings.put("io.tmp.dirs", tmpDir.toString());
        settings.put("web.upload.dir", tmpDir.resolve("web-upload").toString());

        // Keep restarting while a killed TaskManager is replaced; 2 s keeps restart storms cheap.
        settings.put("restart-strategy.type", "fixed-delay");
        settings.put("restart-strategy.fixed-delay.attempts", "1000");
        settings.put("restart-strategy.fixed-delay.delay", "2 s");
        // The TaskManager starts alongside the JobManager and its first connection attempts fail;
        // the default 10 s error delay then cost ~10 s of every cluster start (seen in the logs).
        settings.put("cluster.registration.error-delay", "500 ms");
        settings.put("cluster.registration.refused-registration-delay", "1 s");
        // Default heartbeats (10 s / 50 s) make a kill -9 take ~15 s to notice; 1 s / 5 s ~7 s.
        settings.put("heartbeat.interval", "1000");
        settings.put("heartbeat.timeout", "5000");

        // The reporter jar sits in lib/, no plugins/ needed; the port is set per process.
        settings.put("metrics.reporter.prom.factory.class",
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");

        settings.putAll(overrides);
    }

    void write() throws IOException {
        Files.createDirectories(confDir);
        Files.createDirectories(checkpointDir);
        Files.createDirectories(savepointDir);
        Files.createDirectories(tmpDir);
        StringBuilder yaml = new StringBuilder("# Written by StandaloneFlinkCluster\n");
        settings.forEach((key, value) ->
                yaml.append(key).append(": '").append(value.replace("'", "''")).append("'\n"));
        Files.writeString(confDir.resolve("config.yaml"), yaml);
        Files.writeString(confDir.resolve("log4j.properties"), LOG4J);
    }

    /** The JVM options flink-dist's scripts would add for a role: env.java.opts.all, then the role's own. */
    List<String> javaOpts(String roleKey) {
        List<String> opts = new ArrayList<>();
        for (String key : List.of(ALL_JAVA_OPTS, roleKey)) {
            String value = settings.getOrDefault(key, "").trim();
            if (!value.isEmpty()) {
                opts.addAll(List.of(value.split("\\s+")));
            }
        }
        return opts;
    }

    Path log4jFile() {
        return confDir.resolve("log4j.properties");
    }

    /** Like flink-dist's log4j.properties: one file per process, named by -Dlog.file. */
    private static final String LOG4J = String.join("\n",
            "rootLogger.level = INFO",
            "rootLogger.appenderRef.file.ref = MainAppender",
            "appender.main.name = MainAppender",
            "appender.main.type = File",
            "appender.main.append = true",
            "appender.main.fileName = ${sys:log.file}",
            "appender.main.layout.type = PatternLayout",
            "appender.main.layout.pattern = %d{HH:mm:ss,SSS} %-5p %-60c %x - %m%n",
            // Noise that says nothing about the test: metric name collisions on restart.
            "logger.metrics.name = org.apache.flink.runtime.metrics",
            "logger.metrics.level = ERROR",
            "logger.zk.name = org.apache.zookeeper",
            "logger.zk.level = WARN",
            "");
}
