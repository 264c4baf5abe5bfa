package io.expansionsignals.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CheckpointSpansTest {
    @AfterEach
    void forgetTaskNames() {
        CheckpointSpans.reset(Map.of());
    }

    @Test
    void aTasksMedianPartIsTakenOverTheCheckpointsByItsName() {
        CheckpointSpans.reset(Map.of("v1", "account engine -> (expansion-signals: Writer)", "v2", "portfolio metrics"));
        List<CheckpointSpans.Checkpoint> checkpoints = List.of(
                checkpoint(Map.of("v1", part(120, 80), "v2", part(70, 10))),
                checkpoint(Map.of("v1", part(300, 90), "v2", part(75, 12))),
                checkpoint(Map.of("v1", part(140, 400), "v2", part(80, 14))));

        assertEquals(140, CheckpointSpans.taskMedian(checkpoints, ProductJob.ENGINE_OPERATOR, "sync"));
        assertEquals(90, CheckpointSpans.taskMedian(checkpoints, ProductJob.ENGINE_OPERATOR, "async"));
        assertEquals(75, CheckpointSpans.taskMedian(checkpoints, "portfolio", "sync"));
        assertEquals(-1, CheckpointSpans.taskMedian(checkpoints, FloorJob.STATE_OPERATOR, "sync"), "no such task");
        assertEquals(-1, CheckpointSpans.taskMedian(List.of(), ProductJob.ENGINE_OPERATOR, "sync"), "no checkpoint");
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> CheckpointSpans.taskMedian(checkpoints, "portfolio", "upload")).getMessage().contains("upload"));
    }

    private static CheckpointSpans.Checkpoint checkpoint(Map<String, Map<String, Long>> tasks) {
        return new CheckpointSpans.Checkpoint(0, 500, true, Map.of(), tasks);
    }

    private static Map<String, Long> part(long sync, long async) {
        return Map.of("maxSyncCheckpointDurationMs", sync, "maxAsyncCheckpointDurationMs", async);
    }
}
