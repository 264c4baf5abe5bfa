package io.expansionsignals.e2e;

import io.expansionsignals.testutils.FreePorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Builds and starts the java command lines that flink-dist's bin/jobmanager.sh and
 * bin/taskmanager.sh would run, from a lib/ directory of Maven Central jars.
 */
final class FlinkJvmLauncher {

    static final String JOB_MANAGER_MAIN =
            "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    static final String TASK_MANAGER_MAIN = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
    private static final String BASH_JAVA_UTILS = "org.apache.flink.runtime.util.bash.BashJavaUtils";
    private static final String RESULT_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";

    /**
     * flink-dist's default config.yaml puts these in env.java.opts.all for Java 17. Only the bash
     * scripts read that key, so a launcher that bypasses them must add the flags itself (Kryo,
     * Pekko and the RocksDB/netty internals reflect into these packages).
     */
    static final List<String> JAVA_17_OPENS = List.of(
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED",
            "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    private final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    private final String classpath;
    private final Path workDir;
    private final ClusterConfig config;
    private final Path logDir;

    /** Memory flags: [0] JVM options, [1] "-D k=v" program arguments; computed once per role. */
    private final List<List<String>> jobManagerMemory;
    private final List<List<String>> taskManagerMemory;

    FlinkJvmLauncher(Path flinkLib, Path workDir, ClusterConfig config) throws IOException, InterruptedException {
        this.classpath = classpathOf(flinkLib);
        this.workDir = workDir;
        this.config = config;
        this.logDir = workDir.resolve("log");
        Files.createDirectories(logDir);
        Files.createDirectories(workDir.resolve("plugins"));
        this.jobManagerMemory = memoryParams("GET_JM_RESOURCE_PARAMS");
        this.taskManagerMemory = memoryParams("GET_TM_RESOURCE_PARAMS");
    }

    Path logDir() {
        return logDir;
    }

    FlinkProcess startJobManager() throws IOException {
        // No "--executionMode cluster": Flink 2.2's entrypoint parser knows only --configDir and
        // -D, and stops at the first unknown token, so every -D after it would be silently
        // ignored (seen here: the JobManager's reporter fell back to its default port 9249).
        return start("jobmanager", JOB_MANAGER_MAIN, jobManagerMemory, config.javaOpts(ClusterConfig.JOB_MANAGER_JAVA_OPTS),
                List.of(), Map.of());
    }

    FlinkProcess startTaskManager(String resourceId) throws IOException {
        return start(resourceId, TASK_MANAGER_MAIN, taskManagerMemory,
                config.javaOpts(ClusterConfig.TASK_MANAGER_JAVA_OPTS), List.of(),
                // A known id lets the cluster wait for exactly this TaskManager to register.
                Map.of("taskmanager.resource-id", resourceId));
    }

    private FlinkProcess start(String name, String mainClass, List<List<String>> memory, List<String> javaOpts,
                               List<String> extraArgs, Map<String, String> dynamicProperties) throws IOException {
        int prometheusPort = FreePorts.next();
        Path logFile = logDir.resolve("flink-" + name + ".log");
        Path outFile = logDir.resolve("flink-" + name + ".out");

        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(memory.get(0));
        command.addAll(javaOpts);
        command.addAll(JAVA_17_OPENS);
        command.add("-Dlog.file=" + logFile);
        command.add("-Dlog4j.configurationFile=" + config.log4jFile().toUri());
        command.add("-classpath");
        command.add(classpath);
        command.add(mainClass);
        command.add("--configDir");
        command.add(config.confDir.toString());
        command.addAll(extraArgs);
        command.addAll(memory.get(1));
        // Each process gets its own reporter port, so the tests know exactly where to scrape and
        // concurrent builds never fight over a shared range.
        command.add("-D");
        command.add("metrics.reporter.prom.port=" + prometheusPort);
        dynamicProperties.forEach((key, value) -> {
            command.add("-D");
            command.add(key + "=" + value);
        });

        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(outFile.toFile()));
        // The web UI serves logs from FLINK_LOG_DIR; an empty plugins dir avoids a startup warning.
        builder.environment().put("FLINK_LOG_DIR", logDir.toString());
        builder.environment().put("FLINK_PLUGINS_DIR", workDir.resolve("plugins").toString());
        builder.environment().put("FLINK_CONF_DIR", config.confDir.toString());
        return new FlinkProcess(name, builder.start(), logFile, outFile, prometheusPort);
    }

    /** Runs BashJavaUtils exactly as flink's config.sh does and keeps its two result lines. */
    private List<List<String>> memoryParams(String command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(java.toString(), "-classpath", classpath, BASH_JAVA_UTILS,
                command, "--configDir", config.confDir.toString())
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("BashJavaUtils " + command + " failed:\n" + output);
        }
        List<String> results = output.lines()
                .filter(line -> line.startsWith(RESULT_PREFIX))
                .map(line -> line.substring(RESULT_PREFIX.length()).trim())
                .toList();
        if (results.size() != 2) {
            throw new IllegalStateException("BashJavaUtils " + command + ": expected 2 result lines:\n" + output);
        }
        return results.stream().map(line -> Arrays.asList(line.split("\\s+"))).toList();
    }

    /** Explicit, sorted jar list rather than lib/*: the wildcard's order is unspecified. */
    private static String classpathOf(Path flinkLib) throws IOException {
        if (!Files.isDirectory(flinkLib)) {
            throw new IllegalStateException(flinkLib + " missing: run the e2e module's build "
                    + "(./mvnw -B -pl e2e verify), it copies the cluster's jars there");
        }
        try (Stream<Path> jars = Files.list(flinkLib)) {
            String cp = jars.filter(p -> p.toString().endsWith(".jar"))
                    .sorted()
                    .map(Path::toString)
                    .collect(Collectors.joining(":"));
            if (cp.isEmpty()) {
                throw new IllegalStateException("no jars in " + flinkLib);
            }
            return cp;
        }
    }
}
