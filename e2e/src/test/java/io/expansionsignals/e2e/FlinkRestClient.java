package io.expansionsignals.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

/**
 * Just enough of Flink's REST API to drive a job the way an operator would: upload, run (optionally
 * from a savepoint), watch, stop with savepoint, cancel. Every call is blocking and throws
 * {@link UncheckedIOException} with the response body on a non-2xx answer, so a failed test shows
 * Flink's own error text.
 */
public final class FlinkRestClient {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    private final ObjectMapper json = new ObjectMapper();

    public FlinkRestClient(URI base) {
        this.base = base;
    }

    public URI baseUri() {
        return base;
    }

    // ---- cluster ----

    /** {@code GET /overview}: taskmanagers, slots-total, slots-available, jobs-running, ... */
    public JsonNode overview() {
        return get("/overview");
    }

    /** Resource ids of the TaskManagers the ResourceManager currently knows. */
    public List<String> taskManagerIds() {
        JsonNode tms = get("/taskmanagers").path("taskmanagers");
        return java.util.stream.StreamSupport.stream(tms.spliterator(), false)
                .map(tm -> tm.path("id").asText())
                .toList();
    }

    // ---- jars ----

    /** {@code POST /jars/upload} (multipart field {@code jarfile}); returns the jar id for {@link #runJar}. */
    public String uploadJar(Path jar) {
        String boundary = "----e2e" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            body.write(("--" + boundary + "\r\n"
                    + "Content-Disposition: form-data; name=\"jarfile\"; filename=\"" + jar.getFileName() + "\"\r\n"
                    + "Content-Type: application/java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.write(Files.readAllBytes(jar));
            body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jar, e);
        }
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/jars/upload"))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build();
        JsonNode response = send(request);
        if (!"success".equals(response.path("status").asText())) {
            throw new IllegalStateException("jar upload failed: " + response);
        }
        // "filename" is the stored path; its last segment ("<uuid>_<name>.jar") is the jar id.
        return Path.of(response.path("filename").asText()).getFileName().toString();
    }

    /**
     * {@code POST /jars/{id}/run}; returns the job id. {@code parallelism} is passed explicitly
     * because the cluster's {@code parallelism.default} is not applied to REST submissions.
     *
     * @param savepointPath restore from this savepoint/checkpoint, or null to start fresh
     */
    public String runJar(String jarId, String entryClass, List<String> programArgs,
                         String savepointPath, int parallelism) {
        ObjectNode request = json.createObjectNode();
        request.put("entryClass", entryClass);
        request.set("programArgsList", json.valueToTree(programArgs));
        request.put("parallelism", parallelism);
        if (savepointPath != null) {
            request.put("savepointPath", savepointPath);
            // Fail rather than silently drop state that no longer maps to an operator.
            request.put("allowNonRestoredState", false);
        }
        return post("/jars/" + jarId + "/run", request).path("jobid").asText();
    }

    // ---- jobs ----

    /** {@code GET /jobs/{id}}: full job details (state, vertices with their status). */
    public JsonNode jobDetails(String jobId) {
        return get("/jobs/" + jobId);
    }

    /** Job state such as CREATED, RUNNING, RESTARTING, FAILED, FINISHED, CANCELED. */
    public String jobStatus(String jobId) {
        return jobDetails(jobId).path("state").asText();
    }

    /**
     * Waits until the job is RUNNING and so is every vertex. The job turns RUNNING before its
     * tasks are deployed, so the job state alone would report success too early after a restart.
     */
    public void waitUntilAllVerticesRunning(String jobId, Duration timeout) throws TimeoutException {
        Waits.until("all vertices of " + jobId + " RUNNING", timeout, () -> {
            JsonNode details = jobDetails(jobId);
            String state = details.path("state").asText();
            if (isGloballyTerminal(state)) {
                throw new IllegalStateException("job " + jobId + " ended " + state + ": " + exceptions(jobId));
            }
            boolean allRunning = "RUNNING".equals(state) && details.path("vertices").size() > 0;
            for (JsonNode vertex : details.path("vertices")) {
                allRunning &= "RUNNING".equals(vertex.path("status").asText());
            }
            return allRunning ? Optional.of(true) : Optional.empty();
        }, () -> vertexSummary(jobId));
    }

    public void waitForJobStatus(String jobId, String status, Duration timeout) throws TimeoutException {
        Waits.until("job " + jobId + " " + status, timeout,
                () -> status.equals(jobStatus(jobId)) ? Optional.of(true) : Optional.empty(),
                () -> jobStatus(jobId));
    }

    /** {@code PATCH /jobs/{id}?mode=cancel}. */
    public void cancel(String jobId) {
        send(HttpRequest.newBuilder(base.resolve("/jobs/" + jobId + "?mode=cancel"))
                .timeout(REQUEST_TIMEOUT)
                .method("PATCH", HttpRequest.BodyPublishers.noBody())
                .build());
    }

    // ---- checkpoints and savepoints ----

    public CheckpointStats checkpoints(String jobId) {
        return CheckpointStats.from(get("/jobs/" + jobId + "/checkpoints"));
    }

    /** Waits until at least {@code count} checkpoints of the job have completed in total. */
    public CheckpointStats waitForCompletedCheckpoints(String jobId, long count, Duration timeout)
            throws TimeoutException {
        return waitForCheckpoints(jobId, "≥" + count + " completed checkpoints",
                stats -> stats.completedCount() >= count, timeout);
    }

    /** Waits until a checkpoint newer than {@code checkpointId} has completed (e.g. after a restore). */
    public CheckpointStats waitForCheckpointAfter(String jobId, long checkpointId, Duration timeout)
            throws TimeoutException {
        return waitForCheckpoints(jobId, "a checkpoint after #" + checkpointId,
                stats -> stats.latestCompletedId() > checkpointId, timeout);
    }

    public CheckpointStats waitForCheckpoints(String jobId, String what,
                                              java.util.function.Predicate<CheckpointStats> condition,
                                              Duration timeout) throws TimeoutException {
        return Waits.until(what + " of " + jobId, timeout, () -> {
            CheckpointStats stats = checkpoints(jobId);
            return condition.test(stats) ? Optional.of(stats) : Optional.empty();
        }, () -> checkpoints(jobId) + ", job " + vertexSummary(jobId));
    }

    /**
     * {@code POST /jobs/{id}/stop} (no drain), then polls the async operation until the savepoint
     * is written; returns its path. The job then ends FINISHED.
     */
    public String stopWithSavepoint(String jobId, Path targetDirectory, Duration timeout) throws TimeoutException {
        ObjectNode request = json.createObjectNode();
        request.put("targetDirectory", targetDirectory.toUri().toString());
        request.put("drain", false);
        String requestId = post("/jobs/" + jobId + "/stop", request).path("request-id").asText();
        return Waits.until("savepoint of " + jobId, timeout, () -> {
            JsonNode result = get("/jobs/" + jobId + "/savepoints/" + requestId);
            if (!"COMPLETED".equals(result.path("status").path("id").asText())) {
                return Optional.empty();
            }
            JsonNode operation = result.path("operation");
            if (operation.has("failure-cause")) {
                throw new IllegalStateException("stop-with-savepoint failed: " + operation.path("failure-cause"));
            }
            return Optional.of(operation.path("location").asText());
        });
    }

    // ---- diagnostics ----

    /** {@code numRestarts} job metric: how often the job restarted since submission. */
    public long numRestarts(String jobId) {
        JsonNode metrics = get("/jobs/" + jobId + "/metrics?get=numRestarts");
        return metrics.size() == 0 ? 0 : metrics.get(0).path("value").asLong(0);
    }

    /** {@code GET /jobs/{id}/exceptions} as text: the failure history, for assertion messages. */
    public String exceptions(String jobId) {
        try {
            return get("/jobs/" + jobId + "/exceptions?maxExceptions=5").toPrettyString();
        } catch (RuntimeException e) {
            return "(exceptions unavailable: " + e + ")";
        }
    }

    private String vertexSummary(String jobId) {
        JsonNode details = jobDetails(jobId);
        StringBuilder summary = new StringBuilder(details.path("state").asText());
        for (JsonNode vertex : details.path("vertices")) {
            summary.append(", ").append(vertex.path("name").asText()).append('=')
                    .append(vertex.path("status").asText());
        }
        return summary.toString();
    }

    private static boolean isGloballyTerminal(String state) {
        return "FAILED".equals(state) || "CANCELED".equals(state) || "FINISHED".equals(state);
    }

    // ---- HTTP plumbing ----

    JsonNode get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT).GET().build());
    }

    private JsonNode post(String path, JsonNode body) {
        return send(HttpRequest.newBuilder(base.resolve(path))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build());
    }

    private JsonNode send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new UncheckedIOException(new IOException(request.method() + " " + request.uri()
                        + " -> " + response.statusCode() + ": " + response.body()));
            }
            String body = response.body();
            return body == null || body.isBlank() ? json.createObjectNode() : json.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + request.uri(), e);
        }
    }
}
