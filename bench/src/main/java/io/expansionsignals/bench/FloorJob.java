package io.expansionsignals.bench;

import io.expansionsignals.config.ExpansionSignalsOptions;
import io.expansionsignals.io.kafka.AdminClosingKafkaSink;
import io.expansionsignals.io.kafka.KafkaConnectors;
import io.expansionsignals.workload.WorkloadTopics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The framework floor: the product's shape with nothing of its logic. Kafka source (the same
 * topics, read_committed) → keyBy account → one small ValueState update per event → an
 * exactly-once Kafka sink of every 50th event per account (2 %, from an offset per account). The value bytes ride along
 * undecoded, so the keyBy hop carries as many bytes as the raw records.
 */
public final class FloorJob {
    public static final String STATE_OPERATOR = "floor state";

    private FloorJob() {}

    public static void define(StreamExecutionEnvironment env, String bootstrap, List<String> inputs, String output,
            String runPrefix) {
        env.fromSource(source(bootstrap, inputs, runPrefix), WatermarkStrategy.noWatermarks(), "floor source")
                .keyBy(t -> t.f0, Types.STRING)
                .process(new CountPerAccount(), Types.STRING)
                .name(STATE_OPERATOR)
                .sinkTo(sink(bootstrap, output, runPrefix))
                .name("floor sink");
    }

    /** The floor's source: the input topics from the start, read_committed, as (key, undecoded value). */
    static KafkaSource<Tuple2<String, byte[]>> source(String bootstrap, List<String> inputs, String runPrefix) {
        return KafkaSource.<Tuple2<String, byte[]>>builder()
                .setBootstrapServers(bootstrap)
                .setTopics(inputs)
                .setGroupId(runPrefix + "floor")
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setProperty("isolation.level", "read_committed")
                // as the product's event sources: fetches of 64 KB or 10 ms, not one per record
                .setProperty("fetch.min.bytes", KafkaConnectors.SOURCE_FETCH_MIN_BYTES)
                .setProperty("fetch.max.wait.ms", KafkaConnectors.SOURCE_FETCH_MAX_WAIT_MS)
                .setDeserializer(new KeyAndValue())
                .build();
    }

    /** The floor's exactly-once sink, configured as the product's sinks are. */
    static AdminClosingKafkaSink<String> sink(String bootstrap, String output, String runPrefix) {
        Properties producer = new Properties();
        producer.setProperty("transaction.timeout.ms", "600000");
        producer.setProperty("compression.type", "lz4");
        producer.setProperty("linger.ms", "5");
        // as the product's exactly-once sinks: a new producer initialises in ~20 ms, not ~110
        producer.setProperty("retry.backoff.ms", KafkaConnectors.EXACTLY_ONCE_RETRY_BACKOFF_MS);
        // as the product's exactly-once sinks: the admin client each writer opens is closed with it
        return new AdminClosingKafkaSink<>(KafkaSink.<String>builder()
                .setBootstrapServers(bootstrap)
                .setKafkaProducerConfig(producer)
                .setRecordSerializer(KafkaRecordSerializationSchema.<String>builder()
                        .setTopic(output)
                        .setValueSerializationSchema(new SimpleStringSchema())
                        .build())
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(runPrefix + "floor")
                // as the product's sinks name their transactions by default
                .setTransactionNamingStrategy(ExpansionSignalsOptions.TRANSACTION_NAMING.defaultValue())
                .build());
    }

    /**
     * Creates the floor's output topic ({@code runPrefix + "floor-out"}) and returns an environment
     * with the floor defined over the three input topics, checkpointing to {@code checkpointDir}.
     */
    public static StreamExecutionEnvironment build(Infra infra, WorkloadTopics in, String runPrefix,
            java.nio.file.Path checkpointDir) throws Exception {
        infra.createTopics(List.of(output(runPrefix)));
        StreamExecutionEnvironment env = FlinkRun.environment(FlinkRun.baseConfiguration(configuration(), checkpointDir));
        define(env, infra.bootstrap(), List.of(in.subscription(), in.usage(), in.engagement()), output(runPrefix), runPrefix);
        return env;
    }

    /** The floor's output topic of a run. */
    public static String output(String runPrefix) {
        return runPrefix + "floor-out";
    }

    /** The record key is the accountId as UTF-8 (the workload's producer sets it). */
    static final class KeyAndValue implements KafkaRecordDeserializationSchema<Tuple2<String, byte[]>> {
        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> r, Collector<Tuple2<String, byte[]>> out) {
            out.collect(Tuple2.of(new String(r.key(), StandardCharsets.UTF_8), r.value()));
        }

        @Override
        public TypeInformation<Tuple2<String, byte[]>> getProducedType() {
            return Types.TUPLE(Types.STRING, Types.PRIMITIVE_ARRAY(Types.BYTE));
        }
    }

    static final class CountPerAccount extends KeyedProcessFunction<String, Tuple2<String, byte[]>, String> {
        private transient ValueState<Long> count;

        @Override
        public void open(org.apache.flink.api.common.functions.OpenContext ctx) {
            count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
        }

        @Override
        public void processElement(Tuple2<String, byte[]> e, Context ctx, Collector<String> out) throws Exception {
            Long c = count.value();
            long next = c == null ? 1 : c + 1;
            count.update(next);
            // Every 50th event of an account, from an offset that depends on the account: 2 % of the
            // events even when most accounts see fewer than 50 (1 M accounts), as the product's
            // signals do not wait for an account's 50th event either.
            if ((next + (e.f0.hashCode() & 0x3f)) % 50 == 0) {
                out.collect(e.f0 + ":" + next);
            }
        }
    }

    /** Configuration of the floor: RocksDB, incremental, exactly-once, as the product. */
    public static Configuration configuration() {
        Configuration conf = new Configuration();
        conf.setString("state.backend.type", "rocksdb");
        conf.setString("execution.checkpointing.incremental", "true");
        conf.setString("execution.checkpointing.mode", "EXACTLY_ONCE");
        return conf;
    }
}
