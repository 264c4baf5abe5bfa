package io.expansionsignals.e2e;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The parts of {@code GET /jobs/{id}/checkpoints} the tests reason about.
 *
 * @param completedCount   completed checkpoints of this job (savepoints included), across restarts
 * @param latestCompletedId id of the latest completed checkpoint, or -1 if none yet
 * @param latestCompletedPath its external path, or null
 * @param restoredId       id of the checkpoint/savepoint the job last restored from, or -1
 * @param restoredIsSavepoint whether that restore was from a savepoint
 * @param restoredPath     external path of the restored checkpoint/savepoint, or null
 */
public record CheckpointStats(long completedCount, long latestCompletedId, String latestCompletedPath,
                              long restoredId, boolean restoredIsSavepoint, String restoredPath) {

    public boolean hasRestored() {
        return restoredId >= 0;
    }

    static CheckpointStats from(JsonNode json) {
        JsonNode latest = json.path("latest");
        JsonNode completed = latest.path("completed");
        JsonNode restored = latest.path("restored");
        return new CheckpointStats(
                json.path("counts").path("completed").asLong(0),
                completed.isObject() ? completed.path("id").asLong(-1) : -1,
                completed.isObject() ? completed.path("external_path").asText(null) : null,
                restored.isObject() ? restored.path("id").asLong(-1) : -1,
                restored.isObject() && restored.path("is_savepoint").asBoolean(false),
                restored.isObject() ? restored.path("external_path").asText(null) : null);
    }
}
