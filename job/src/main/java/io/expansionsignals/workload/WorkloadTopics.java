package io.expansionsignals.workload;

import java.util.Objects;

/** Names of the three input topics the workload writes to. */
public record WorkloadTopics(String subscription, String usage, String engagement) {
    public static final WorkloadTopics DEFAULTS =
            new WorkloadTopics("subscription-events", "usage-events", "engagement-events");

    public WorkloadTopics {
        Objects.requireNonNull(subscription, "subscription");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(engagement, "engagement");
    }

    /** The topic for a kind name as {@link WorkloadSink#raw} passes it. */
    public String forKind(String topicKind) {
        return switch (topicKind) {
            case "subscription" -> subscription;
            case "usage" -> usage;
            case "engagement" -> engagement;
            default -> throw new IllegalArgumentException("unknown topic kind: " + topicKind);
        };
    }
}
