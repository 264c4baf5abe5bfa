package io.expansionsignals.testutils;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

/** The test broker's own start-up: settings a caller passes reach the running broker. */
class EmbeddedKafkaITCase {

    @Test
    void brokerSettingsOfTheCallerAreTheRunningBrokersOwn() throws Exception {
        // The benchmark's -Dbench.broker.<key>=<value> hook comes through here; Kafka's default is 8.
        try (EmbeddedKafka kafka = EmbeddedKafka.start(Map.of("num.io.threads", "3"));
                Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            String brokerId = String.valueOf(admin.describeCluster().nodes().get().iterator().next().id());
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, brokerId);
            Config config = admin.describeConfigs(List.of(broker)).all().get().get(broker);
            assertThat(config.get("num.io.threads").value()).isEqualTo("3");
            // The defaults set here stay under the caller's settings.
            assertThat(config.get("auto.create.topics.enable").value()).isEqualTo("false");
        }
    }
}
