package io.expansionsignals.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.expansionsignals.io.registry.ConfluentWireFormat;
import io.expansionsignals.io.registry.RegistrySettings;
import io.expansionsignals.schema.SubscriptionEvent;
import io.expansionsignals.schema.UsageEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class KafkaWorkloadSinkTest {
    private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

    @Test
    void aKeysPartitionIsTheOneKafkasDefaultPartitionerGivesIt() {
        for (int partitions : new int[] {1, 2, 3, 12}) {
            for (int i = 0; i < 500; i++) {
                byte[] key = String.format("acct-%05d", i).getBytes(StandardCharsets.UTF_8);
                assertThat(KafkaWorkloadSink.partitionOf(key, partitions))
                        .isEqualTo(BuiltInPartitioner.partitionForKey(key, partitions));
            }
        }
    }

    @Test
    void writesConfluentFramedRecordsKeyedByAccountToTheConfiguredTopics() throws Exception {
        WorkloadTopics topics = new WorkloadTopics("subs", "use", "eng");
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        CollectingSink expected = new CollectingSink();
        try (FakeRegistry registry = new FakeRegistry();
             KafkaWorkloadSink sink = new KafkaWorkloadSink(producer, RegistrySettings.of(registry.url()), topics)) {
            WorkloadSpec spec = new WorkloadSpec(7, 20, START, Duration.ofHours(12), 0.01, 0.02, 0.2);
            WorkloadSink both = new TeeSink(sink, expected);
            new WorkloadGenerator(spec, io.expansionsignals.config.CatalogLoader.load(null),
                    Clock.fixed(START.plus(Duration.ofDays(30)), ZoneOffset.UTC)).run(both, 60);
            sink.flush();

            List<ProducerRecord<byte[], byte[]>> sent = producer.history();
            assertThat(sent).hasSize(expected.records());
            assertThat(sent.stream().map(ProducerRecord::topic).collect(Collectors.toSet())).containsExactlyInAnyOrder("subs", "use", "eng");
            assertThat(registry.idsBySubject).containsOnlyKeys("subs-value", "use-value", "eng-value");
            Map<String, Integer> idByTopic = Map.of("subs", registry.idsBySubject.get("subs-value"),
                    "use", registry.idsBySubject.get("use-value"), "eng", registry.idsBySubject.get("eng-value"));

            // Typed records: the header carries the registered id and the body decodes to the same record.
            ProducerRecord<byte[], byte[]> firstSub = sent.stream().filter(r -> r.topic().equals("subs")).findFirst().orElseThrow();
            assertThat(ConfluentWireFormat.readSchemaId(firstSub.value())).isEqualTo(idByTopic.get("subs"));
            assertThat(decode(firstSub.value(), SubscriptionEvent.class)).isEqualTo(expected.subscriptions.get(0));
            assertThat(new String(firstSub.key(), StandardCharsets.UTF_8)).isEqualTo(expected.subscriptions.get(0).getAccountId());
            ProducerRecord<byte[], byte[]> firstUse = sent.stream().filter(r -> r.topic().equals("use")).findFirst().orElseThrow();
            assertThat(decode(firstUse.value(), UsageEvent.class)).isEqualTo(expected.usage.get(0));

            // Raw records: truncated ones get the real id of their topic, the others stay as generated.
            assertThat(expected.raw).extracting(CollectingSink.Raw::kind).contains(MalformedKind.TRUNCATED_AVRO,
                    MalformedKind.UNKNOWN_SCHEMA_ID, MalformedKind.GARBAGE_BYTES);
            for (CollectingSink.Raw raw : expected.raw) {
                String topic = topics.forKind(raw.topicKind());
                int from = Math.min(5, raw.value().length); // garbage can be shorter than a header
                ProducerRecord<byte[], byte[]> out = sent.stream()
                        .filter(r -> r.topic().equals(topic) && r.value().length == raw.value().length
                                && Arrays.equals(r.value(), from, r.value().length, raw.value(), from, raw.value().length)
                                && new String(r.key(), StandardCharsets.UTF_8).equals(raw.key()))
                        .findFirst().orElseThrow();
                switch (raw.kind()) {
                    case TRUNCATED_AVRO -> assertThat(ConfluentWireFormat.readSchemaId(out.value())).isEqualTo(idByTopic.get(topic));
                    case UNKNOWN_SCHEMA_ID -> assertThat(ConfluentWireFormat.readSchemaId(out.value())).isEqualTo(999_999);
                    default -> assertThat(out.value()).isEqualTo(raw.value());
                }
            }
        }
    }

    @Test
    void producerIsIdempotentWithAllAcksLz4AndShortLinger() {
        Properties p = KafkaWorkloadSink.producerProperties("broker:9092", Map.of());
        assertThat(p).containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true")
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4")
                .containsEntry(ProducerConfig.LINGER_MS_CONFIG, "5")
                .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "broker:9092");
    }

    private static <T> T decode(byte[] framed, Class<T> type) throws IOException {
        SpecificData model = SpecificData.getForClass(type);
        var reader = new SpecificDatumReader<T>(model.getSchema(type), model.getSchema(type), model);
        return reader.read(null, DecoderFactory.get().binaryDecoder(framed, 5, framed.length - 5, null));
    }
}
