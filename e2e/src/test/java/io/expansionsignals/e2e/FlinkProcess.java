package io.expansionsignals.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One running Flink JVM (JobManager or TaskManager) and where its output goes. */
final class FlinkProcess {

    /** Exit status of a JVM ended by SIGKILL (128 + 9); proves the kill was a real kill -9. */
    static final int SIGKILL_EXIT_CODE = 137;

    final String name;
    final Process process;
    final Path logFile;
    final Path outFile;
    final int prometheusPort;

    FlinkProcess(String name, Process process, Path logFile, Path outFile, int prometheusPort) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.outFile = outFile;
        this.prometheusPort = prometheusPort;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * SIGKILL, no shutdown hooks, no deregistration: what a crashed pod or an OOM kill looks like
     * to the JobManager. On Linux {@link Process#destroyForcibly()} sends SIGKILL; the exit code
     * is checked so a JDK that only sent SIGTERM would fail the test rather than fake a crash.
     */
    int kill9(Duration timeout) throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(name + " (pid " + pid() + ") survived SIGKILL");
        }
        return process.exitValue();
    }

    /** The last {@code lines} lines of the log and of stdout/stderr, for failure diagnosis. */
    String tail(int lines) {
        return "==== " + name + " (pid " + pid() + ", " + (isAlive() ? "alive" : "exit " + process.exitValue())
                + ") " + logFile + "\n" + tailOf(logFile, lines)
                + "==== " + name + " stdout/stderr " + outFile + "\n" + tailOf(outFile, lines);
    }

    /** Lines of the log that contain {@code text}, e.g. what a reporter said about its port. */
    String logLinesContaining(String text) {
        return tailOf(logFile, Integer.MAX_VALUE).lines().filter(line -> line.contains(text))
                .reduce("", (all, line) -> all + line + "\n");
    }

    private static String tailOf(Path file, int lines) {
        if (!Files.exists(file)) {
            return "(missing)\n";
        }
        try {
            // Decoding the bytes leniently: a half-written multi-byte char must not hide the log.
            List<String> all = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList();
            List<String> last = new ArrayList<>(all.subList(Math.max(0, all.size() - lines), all.size()));
            return String.join("\n", last) + "\n";
        } catch (IOException e) {
            return "(unreadable: " + e + ")\n";
        }
    }
}
