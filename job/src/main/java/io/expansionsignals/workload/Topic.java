package io.expansionsignals.workload;

/** The three input topics, by the kind name {@link WorkloadSink#raw} uses. */
public enum Topic {
    SUBSCRIPTION("subscription"),
    USAGE("usage"),
    ENGAGEMENT("engagement");

    private final String kind;

    Topic(String kind) {
        this.kind = kind;
    }

    public String kind() {
        return kind;
    }
}
