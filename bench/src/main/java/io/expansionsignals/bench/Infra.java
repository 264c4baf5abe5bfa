package io.expansionsignals.bench;

import io.expansionsignals.io.registry.RegistrySettings;
import io.expansionsignals.testutils.EmbeddedKafka;
import io.expansionsignals.testutils.EmbeddedSchemaRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** The in-process broker and the registry process every variant of one run shares. */
public final class Infra implements AutoCloseable {
    /** Input topics get 4 partitions: two per subtask at parallelism 2, as in the measured facts. */
    public static final int PARTITIONS = 4;

    private final EmbeddedKafka kafka;
    private final EmbeddedSchemaRegistry registry;
    private final AtomicInteger runs = new AtomicInteger();

    private Infra(EmbeddedKafka kafka, EmbeddedSchemaRegistry registry) {
        this.kafka = kafka;
        this.registry = registry;
    }

    public static Infra start() throws Exception {
        // Experiments: -Dbench.broker.<key>=<value> sets a broker setting (e.g. num.io.threads).
        Map<String, String> broker = ExperimentProperties.withPrefix("bench.broker.");
        EmbeddedKafka kafka = EmbeddedKafka.start(broker);
        if (!broker.isEmpty()) {
            Benchmark.log("broker settings: %s", broker);
        }
        try {
            return new Infra(kafka, EmbeddedSchemaRegistry.start());
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
    }

    public String bootstrap() {
        return kafka.bootstrapServers();
    }

    public RegistrySettings registry() {
        return RegistrySettings.of(registry.url());
    }

    public String registryUrl() {
        return registry.url();
    }

    public void createTopics(List<String> names) throws Exception {
        kafka.createTopics(PARTITIONS, names);
    }

    /** A fresh prefix per Flink run, so output topics, groups and transactional ids never collide. */
    public String nextRunPrefix() {
        return "run" + runs.incrementAndGet() + ".";
    }

    @Override
    public void close() throws Exception {
        try {
            registry.close();
        } finally {
            kafka.close();
        }
    }
}
