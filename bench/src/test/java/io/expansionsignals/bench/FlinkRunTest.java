package io.expansionsignals.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlinkRunTest {
    private static final long S = 1_000_000_000L;

    @Test
    void eachTenthOfTheInputGetsItsOwnRate() {
        // 1,000,000 records, 100,000 per tenth: the first took 2 s, the others 1 s; the fifth mark was
        // never seen (0: all of it arrived within one poll), so neither tenth next to it has a rate
        long[] at = {S, 3 * S, 4 * S, 5 * S, 6 * S, 0, 8 * S, 9 * S, 10 * S, 11 * S, 12 * S};

        assertEquals("50 100 100 100 – – 100 100 100 100", FlinkRun.byTenth(at, 1_000_000));
    }

    @Test
    void tenthsAreStampedInUtcToTheMillisecond() {
        // 2026-12-01T15:40:00.000Z and 1,005 ms later; a tenth never seen stays a dash
        long at = 1_796_139_600_000L;

        assertEquals("15:40:00.000 – 15:40:01.005", FlinkRun.wallClock(new long[] {at, 0, at + 1_005}));
    }

    @Test
    void aRunsCheckpointsAndSavepointsAreRemovedBeforeTheNextRunStarts(@TempDir Path work) throws Exception {
        Path checkpoints = Files.createDirectories(work.resolve("run-1/chk-3"));
        Path savepoints = Files.createDirectories(work.resolve("run-1-savepoints/savepoint-1"));
        Files.writeString(checkpoints.resolve("_metadata"), "x");
        Files.writeString(savepoints.resolve("_metadata"), "x");
        Path other = Files.createDirectories(work.resolve("run-2"));
        Configuration conf = new Configuration();
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, work.resolve("run-1").toUri().toString());

        FlinkRun.started(StreamExecutionEnvironment.getExecutionEnvironment(conf));
        assertTrue(Files.exists(checkpoints), "kept while the run may still be writing");
        FlinkRun.settle();

        assertFalse(Files.exists(work.resolve("run-1")));
        assertFalse(Files.exists(work.resolve("run-1-savepoints")));
        assertTrue(Files.exists(other), "only the runs that started");
    }
}
