package io.expansionsignals.bench;

import io.expansionsignals.workload.WorkloadTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads the pre-loaded input topics from the beginning with one plain consumer, as fast as it goes. */
public final class TopicReader {
    /** Receives each record; {@code topic} is 0 subscription, 1 usage, 2 engagement. */
    public interface Handler {
        void accept(int topic, ConsumerRecord<byte[], byte[]> record);
    }

    private TopicReader() {}

    public static void readAll(String bootstrap, WorkloadTopics topics, long expected, Handler handler) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("enable.auto.commit", "false");
        p.put("isolation.level", "read_committed"); // as the job reads
        // Bigger fetches than the defaults, so the consumer is not round-trip bound.
        p.put("max.poll.records", "5000");
        p.put("fetch.min.bytes", "1048576");
        p.put("fetch.max.wait.ms", "50");
        p.put("max.partition.fetch.bytes", "8388608");
        List<String> names = List.of(topics.subscription(), topics.usage(), topics.engagement());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (String name : names) {
                for (PartitionInfo info : consumer.partitionsFor(name)) {
                    parts.add(new TopicPartition(name, info.partition()));
                }
            }
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            long seen = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (seen < expected) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("read only " + seen + " of " + expected + " records in 10 minutes");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    handler.accept(names.indexOf(r.topic()), r);
                    seen++;
                }
            }
        }
    }
}
