package io.expansionsignals.testutils;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real schema registry (the project's Apicurio build, Confluent API) in a child JVM, for
 * tests. Its schemas live in an H2 file under target/, so {@link #restart()} keeps ids, like a
 * real registry (Confluent keeps them in Kafka): fault tests can take it away mid-stream and
 * bring the same registry back on the same port.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {
  private static final String JAR = "registry/target/quarkus-app/quarkus-run.jar";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Path jar;
  private final int port;
  private final Path dataDir;
  private final Path log;
  private final Thread shutdownHook;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private Process process;
  private long logStart; // the log's length when the current process was launched

  private EmbeddedSchemaRegistry(Path jar, int port, Path workDir) {
    this.jar = jar;
    this.port = port;
    this.dataDir = workDir.resolve("registry-" + port);
    this.log = workDir.resolve("registry-" + port + ".log");
    // A test JVM killed by an assertion or Ctrl-C must not leave a registry process behind.
    this.shutdownHook = new Thread(this::kill, "embedded-schema-registry-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Starts a registry on a free port with global compatibility BACKWARD. */
  public static EmbeddedSchemaRegistry start() {
    return start(FreePorts::next);
  }

  /**
   * As {@link #start()}, on ports from {@code ports}. A port is free when it is checked, and another
   * process can take it before the registry binds it (it happened in CI); then the registry starts
   * again on the next port, up to three times. Whether the port was the cause is asked of the port
   * itself once our process is gone, not of Quarkus's log: Quarkus usually logs "Port ... seems to
   * be in use" and exits, but in two CI runs it shut its container down and then hung, once
   * without logging that line at all.
   */
  static EmbeddedSchemaRegistry start(java.util.function.IntSupplier ports) {
    for (int attempt = 1; ; attempt++) {
      try {
        return startOn(ports.getAsInt());
      } catch (PortTaken e) {
        if (attempt == 3) {
          throw e;
        }
      }
    }
  }

  /** The registry exited at start-up because its port was taken. */
  private static final class PortTaken extends IllegalStateException {
    PortTaken(RuntimeException cause) {
      super(cause.getMessage(), cause);
    }
  }

  private static EmbeddedSchemaRegistry startOn(int port) {
    Path root = repoRoot();
    Path jar = root.resolve(JAR);
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("schema registry app not found at " + jar
          + ": build the registry module first (./mvnw -B -pl registry package, or a full"
          + " ./mvnw verify from the repo root, which builds registry before job)");
    }
    Path workDir = Path.of(System.getProperty("user.dir"), "target", "embedded-registry");
    EmbeddedSchemaRegistry registry = new EmbeddedSchemaRegistry(jar, port, workDir);
    try {
      deleteRecursively(registry.dataDir); // a fresh registry, whatever an earlier run left
      registry.launch();
    } catch (RuntimeException e) {
      registry.close();
      throw FreePorts.isFree(port) ? e : new PortTaken(e); // asked once our process is gone
    }
    return registry;
  }

  /** Base URL of the Confluent API, e.g. {@code http://127.0.0.1:PORT/apis/ccompat/v7}. */
  public String url() {
    return "http://127.0.0.1:" + port + "/apis/ccompat/v7";
  }

  public int port() {
    return port;
  }

  public Path logFile() {
    return log;
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Graceful stop (SIGTERM, then kill after 15 s); the port stops answering. */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    process = null;
  }

  /** Hard crash (SIGKILL), as a fault test may want; {@link #restart()} still works after. */
  public synchronized void kill() {
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
  }

  /** Stops if running, then starts again on the same port with the same stored schemas. */
  public synchronized void restart() {
    stop();
    launch();
  }

  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook is running or about to: nothing left to do
    }
  }

  private synchronized void launch() {
    if (isRunning()) {
      throw new IllegalStateException("registry already running on port " + port);
    }
    try {
      Files.createDirectories(dataDir);
      logStart = Files.exists(log) ? Files.size(log) : 0; // a restart appends to the same log
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      process = new ProcessBuilder(List.of(java,
              "-Xmx256m", "-XX:+UseSerialGC",
              "-Dquarkus.http.host=127.0.0.1",
              "-Dquarkus.http.port=" + port,
              // A file, not the default in-memory H2, so a restart keeps schemas and ids.
              "-Dquarkus.datasource.jdbc.url=jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("db"),
              "-Dquarkus.datasource.jdbc.initial-size=2",
              "-Dquarkus.datasource.jdbc.min-size=2",
              "-jar", jar.toString()))
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start schema registry from " + jar, e);
    }
    awaitReady();
    send("PUT", "/config", "{\"compatibility\":\"BACKWARD\"}"); // Apicurio defaults to NONE
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("schema registry exited with " + process.exitValue()
            + " during start-up; log " + log + ":\n" + logTail());
      }
      if (startFailed()) {
        // Quarkus does not always exit after a failed start: in CI its scheduler threads outlived
        // the shut-down container and kept the JVM up until the start-up timeout.
        kill();
        throw new IllegalStateException("schema registry failed to start on port " + port
            + "; log " + log + ":\n" + logTail());
      }
      try {
        if (call("GET", "/subjects", null).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // connection refused until Quarkus listens
      }
      sleep(200);
    }
    kill();
    throw new IllegalStateException("schema registry did not answer on " + url() + " within "
        + START_TIMEOUT + "; log " + log + ":\n" + logTail());
  }

  private void send(String method, String path, String body) {
    try {
      HttpResponse<String> response = call(method, path, body);
      if (response.statusCode() != 200) {
        throw new IllegalStateException(method + " " + path + ": HTTP " + response.statusCode()
            + " " + response.body());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + " failed", e);
    }
  }

  private HttpResponse<String> call(String method, String path, String body) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url() + path))
        .timeout(Duration.ofSeconds(5))
        .header("Content-Type", "application/vnd.schemaregistry.v1+json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body))
        .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /**
   * Whether this launch's part of the log shows that the start failed: Quarkus's words for a taken
   * port, or its container already gone (a scheduled job then fails on a null {@code
   * Arc.container()}; in one CI run that was the only sign).
   */
  private boolean startFailed() {
    try (var file = new RandomAccessFile(log.toFile(), "r")) {
      byte[] written = new byte[(int) Math.max(0, file.length() - logStart)];
      file.seek(logStart);
      file.readFully(written);
      String text = new String(written, StandardCharsets.ISO_8859_1);
      return text.contains("seems to be in use") || text.contains("Arc.container()\" is null");
    } catch (IOException e) {
      return false; // no log yet
    }
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  /** Walks up from the working directory (the module dir under Maven) to the repo root. */
  private static Path repoRoot() {
    Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("registry/pom.xml"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no directory containing registry/pom.xml above " + start);
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear " + dir, e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the registry", e);
    }
  }
}
