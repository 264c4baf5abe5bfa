package io.expansionsignals.testutils;

import java.util.Map;
import org.apache.flink.configuration.Configuration;

/** How a test job takes its checkpoints, and whether the account operator fires its timers interruptibly. */
public enum CheckpointModes {
    /** Flink's default: aligned barriers; a watermark's timers all fire before the next record. */
    ALIGNED(Map.of()),
    /**
     * As deploy/k8s runs the job: interruptible timers, checkpoints aligned unless a barrier waits
     * 10 s. Records and barriers are taken between the timers of one watermark, so a checkpoint can
     * complete half-way through a timer burst.
     */
    AS_DEPLOYED(Map.of(
            "execution.checkpointing.unaligned.enabled", "true",
            "execution.checkpointing.aligned-checkpoint-timeout", "10 s",
            "execution.checkpointing.unaligned.interruptible-timers.enabled", "true")),
    /**
     * Every checkpoint unaligned (no alignment timeout): the restore also replays records that were
     * in flight when it was taken. Interruptible timers as deployed.
     */
    UNALIGNED_WITH_INTERRUPTIBLE_TIMERS(Map.of(
            "execution.checkpointing.unaligned.enabled", "true",
            "execution.checkpointing.aligned-checkpoint-timeout", "0 ms",
            "execution.checkpointing.unaligned.interruptible-timers.enabled", "true"));

    private final Map<String, String> settings;

    CheckpointModes(Map<String, String> settings) {
        this.settings = settings;
    }

    /** Adds this mode's settings to {@code flink} and returns it. */
    public Configuration applyTo(Configuration flink) {
        settings.forEach(flink::setString);
        return flink;
    }
}
