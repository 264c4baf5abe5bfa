package io.expansionsignals.workload;

import java.time.Duration;
import java.util.Objects;

/**
 * Everything the CLI (or an in-process launcher) needs to run the workload against Kafka.
 *
 * @param ratePerSecond target records a second; 0 = as fast as possible
 * @param maxSteps simulated steps to run; {@link Long#MAX_VALUE} = until stopped
 * @param progressInterval how often a progress line is printed; zero = never
 */
public record WorkloadSettings(
        String bootstrapServers,
        String registryUrl,
        WorkloadSpec spec,
        double ratePerSecond,
        long maxSteps,
        WorkloadTopics topics,
        Duration progressInterval) {

    public static final double DEFAULT_RATE = 200;
    public static final Duration DEFAULT_PROGRESS_INTERVAL = Duration.ofSeconds(5);

    public WorkloadSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(registryUrl, "registryUrl");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(progressInterval, "progressInterval");
        if (!(ratePerSecond >= 0)) {
            throw new IllegalArgumentException("ratePerSecond must be >= 0, was " + ratePerSecond);
        }
        if (maxSteps <= 0) {
            throw new IllegalArgumentException("maxSteps must be positive, was " + maxSteps);
        }
    }

    /** Defaults for everything but where Kafka and the registry are. */
    public static WorkloadSettings of(String bootstrapServers, String registryUrl, WorkloadSpec spec) {
        return new WorkloadSettings(bootstrapServers, registryUrl, spec, DEFAULT_RATE, Long.MAX_VALUE,
                WorkloadTopics.DEFAULTS, DEFAULT_PROGRESS_INTERVAL);
    }
}
