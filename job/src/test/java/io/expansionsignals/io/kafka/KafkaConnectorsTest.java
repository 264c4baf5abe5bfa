package io.expansionsignals.io.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.TransactionNamingStrategy;
import org.junit.jupiter.api.Test;

class KafkaConnectorsTest {
    private static KafkaConnectors connectors(Properties clientProperties, DeliveryGuarantee guarantee) {
        return new KafkaConnectors("localhost:9092", clientProperties, null, "group", "prefix", Duration.ofMinutes(10),
                "earliest", guarantee, TransactionNamingStrategy.POOLING);
    }

    @Test
    void exactlyOnceProducersLingerAndRetryTheirCoordinatorLookupSoon() {
        Properties p = connectors(new Properties(), DeliveryGuarantee.EXACTLY_ONCE).producerProperties();
        assertEquals("100", p.getProperty("linger.ms"));
        assertEquals("10", p.getProperty("retry.backoff.ms"));
        assertEquals("600000", p.getProperty("transaction.timeout.ms"));
        assertEquals("lz4", p.getProperty("compression.type"));
    }

    @Test
    void atLeastOnceProducersKeepKafkasRetryBackoff() {
        Properties p = connectors(new Properties(), DeliveryGuarantee.AT_LEAST_ONCE).producerProperties();
        assertEquals("5", p.getProperty("linger.ms"));
        assertNull(p.getProperty("retry.backoff.ms"), "no transactions to initialise: Kafka's default stands");
    }

    @Test
    void settingsFromKafkaPropertiesWin() {
        Properties client = new Properties();
        client.setProperty("retry.backoff.ms", "250");
        client.setProperty("linger.ms", "20");
        client.setProperty("compression.type", "zstd");
        Properties p = connectors(client, DeliveryGuarantee.EXACTLY_ONCE).producerProperties();
        assertEquals("250", p.getProperty("retry.backoff.ms"));
        assertEquals("20", p.getProperty("linger.ms"));
        assertEquals("zstd", p.getProperty("compression.type"));
    }

    @Test
    void eventSourcesFetchInBatchesUnlessKafkaPropertiesSayOtherwise() {
        Properties p = connectors(new Properties(), DeliveryGuarantee.EXACTLY_ONCE).sourceProperties();
        assertEquals("65536", p.getProperty("fetch.min.bytes"));
        assertEquals("10", p.getProperty("fetch.max.wait.ms"));
        Properties client = new Properties();
        client.setProperty("fetch.min.bytes", "1");
        client.setProperty("security.protocol", "SSL");
        Properties own = connectors(client, DeliveryGuarantee.EXACTLY_ONCE).sourceProperties();
        assertEquals("1", own.getProperty("fetch.min.bytes"));
        assertEquals("10", own.getProperty("fetch.max.wait.ms"));
        assertEquals("SSL", own.getProperty("security.protocol"));
        assertNull(client.getProperty("fetch.max.wait.ms"), "the shared client settings are not changed");
    }
}
