package io.expansionsignals.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.expansionsignals.config.ExpansionSignalsOptions;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.configuration.ConfigOption;
import org.junit.jupiter.api.Test;

class ProductJobTest {
    /** Topics the job reads: the benchmark points the event topics at its own, and leaves the catalog unset. */
    private static final Set<String> INPUTS = Set.of("subscription-events", "usage-events", "engagement-events", "plan-catalog");

    @Test
    void everyTopicTheJobWritesIsCreatedForTheRun() {
        Set<String> written = new TreeSet<>();
        for (ConfigOption<String> option : ExpansionSignalsOptions.topics()) {
            written.add(option.key().substring("topic.".length()));
        }
        written.removeAll(INPUTS);

        // a topic missing here is written to the default name, which the benchmark's broker does not create
        assertEquals(written, new TreeSet<>(ProductJob.OUTPUTS));
    }
}
