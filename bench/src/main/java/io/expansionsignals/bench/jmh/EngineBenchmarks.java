package io.expansionsignals.bench.jmh;

import io.expansionsignals.bench.DomainLoop;
import io.expansionsignals.config.JobConfig;
import io.expansionsignals.domain.AccountEngine;
import io.expansionsignals.domain.AccountState;
import io.expansionsignals.domain.EngineResult;
import io.expansionsignals.domain.EngineSettings;
import io.expansionsignals.domain.InputValidator;
import io.expansionsignals.functions.AccountEvents;
import io.expansionsignals.io.registry.CompiledDatumWriter;
import io.expansionsignals.io.shuffle.PlannedAvroSerializer;
import io.expansionsignals.schema.internal.DecodedRecord;
import io.expansionsignals.state.AccountStateSerializer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH microbenchmarks of the account operator's hot paths, per event: the engine's decision
 * (validation, MRR, thresholds, health, snapshot materiality), what a state backend that copies
 * on access (RocksDB) adds when the account is not in the account cache (one serialisation and
 * one deserialisation of an {@link AccountState}), the Avro encoding of each output, and each input
 * event's way across the shuffle. Run with
 * {@code ./bench/jmh.sh}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class EngineBenchmarks {

    /** The workload generator's events for a population, applied in order, round after round. */
    @State(Scope.Thread)
    public static class Stream {
        @Param({"10000"})
        public int accounts;

        List<Object> events;
        AccountEngine engine;
        InputValidator validator;
        Map<String, AccountState> states;
        int next;
        long now;

        @Setup(Level.Trial)
        public void generate() {
            events = DomainLoop.generate(accounts, 1_000_000);
            EngineSettings settings = JobConfig.from(new String[0], k -> null).engineSettings();
            engine = new AccountEngine(settings);
            validator = new InputValidator(settings);
            now = System.currentTimeMillis();
        }

        /** Each iteration replays from the start on empty states, so no event is applied twice. */
        @Setup(Level.Iteration)
        public void reset() {
            states = new HashMap<>();
            next = 0;
        }

        Object nextEvent() {
            if (next == events.size()) {
                reset();
            }
            return events.get(next++);
        }
    }

    /**
     * Accounts as the stream leaves them, and a serializer: the job's ({@code job}), or Flink's POJO
     * serializer the account state used up to 0.1 ({@code pojo}), for the ratio between them.
     */
    @State(Scope.Thread)
    public static class FilledStates {
        @Param({"job", "pojo"})
        public String format;

        List<AccountState> states;
        RoundTrip<AccountState> roundTrip;
        int next;

        @Setup(Level.Trial)
        public void fill() {
            Map<String, AccountState> byId = new HashMap<>();
            replay(byId, r -> { });
            states = new ArrayList<>(byId.values());
            SerializerConfigImpl config = new SerializerConfigImpl();
            config.setGenericTypes(false); // as the job runs
            roundTrip = new RoundTrip<>(format.equals("pojo")
                    ? TypeInformation.of(AccountState.class).createSerializer(config)
                    : new AccountStateSerializer());
        }
    }

    /**
     * The engine's outputs (signals, movements, health snapshots) for a population, and a writer per
     * output type: Avro's own ({@code avro}: {@code SpecificDatumWriter}, unbuffered encoder, as the
     * job wrote them up to change 23) or the job's planned writer with a buffered encoder ({@code planned}).
     */
    @State(Scope.Thread)
    public static class Outputs {
        @Param({"avro", "planned"})
        public String writer;

        List<SpecificRecord> records;
        Map<Class<?>, Object> writers = new HashMap<>();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        BinaryEncoder encoder;
        int next;

        @Setup(Level.Trial)
        public void collect() {
            records = new ArrayList<>();
            replay(new HashMap<>(), r -> {
                records.addAll(r.expansionSignals);
                records.addAll(r.churnRiskSignals);
                records.addAll(r.movements);
                if (r.snapshot != null) {
                    records.add(r.snapshot);
                }
            });
            java.util.Collections.shuffle(records, new java.util.Random(42));
            for (SpecificRecord record : records) {
                writers.computeIfAbsent(record.getClass(), c -> {
                    SpecificData model = SpecificData.getForClass(c);
                    Schema schema = model.getSchema(c);
                    return writer.equals("avro") ? new SpecificDatumWriter<>(schema, model) : new CompiledDatumWriter<>(schema, model);
                });
            }
        }
    }

    /**
     * The workload's input events as the shuffle carries them to the account operator, and the
     * serializer of that edge: Flink's {@code AvroSerializer} ({@code flink}, up to change 35) or the
     * job's planned one ({@code planned}).
     */
    @State(Scope.Thread)
    public static class Shuffled {
        @Param({"flink", "planned"})
        public String serializer;

        List<DecodedRecord> records;
        RoundTrip<DecodedRecord> roundTrip;
        int next;

        @Setup(Level.Trial)
        public void wrap() {
            records = new ArrayList<>();
            for (Object event : DomainLoop.generate(10_000, 200_000)) {
                records.add(AccountEvents.wrap(event));
            }
            roundTrip = new RoundTrip<>(serializer.equals("flink")
                    ? new AvroSerializer<>(DecodedRecord.class) : new PlannedAvroSerializer<>(DecodedRecord.class));
        }
    }

    /** A value written by a serializer into a reused buffer and read back: what a state backend or the network does with it. */
    static final class RoundTrip<T> {
        private final TypeSerializer<T> serializer;
        private final DataOutputSerializer out = new DataOutputSerializer(4096);
        private final DataInputDeserializer in = new DataInputDeserializer();

        RoundTrip(TypeSerializer<T> serializer) {
            this.serializer = serializer;
        }

        T of(T value) throws IOException {
            out.clear();
            serializer.serialize(value, out);
            in.setBuffer(out.getSharedBuffer(), 0, out.length());
            return serializer.deserialize(in);
        }
    }

    /** The workload's first 400 k events over 10 k accounts through the engine, into {@code byId}; each result to {@code results}. */
    static void replay(Map<String, AccountState> byId, java.util.function.Consumer<EngineResult> results) {
        List<Object> events = DomainLoop.generate(10_000, 400_000);
        EngineSettings settings = JobConfig.from(new String[0], k -> null).engineSettings();
        AccountEngine engine = new AccountEngine(settings);
        InputValidator validator = new InputValidator(settings);
        long now = System.currentTimeMillis();
        for (Object e : events) {
            EngineResult r = DomainLoop.apply(engine, validator, byId, e, now);
            if (r != null) {
                results.accept(r);
            }
        }
    }

    @Benchmark
    @SuppressWarnings("unchecked")
    public int outputEncoding(Outputs o) throws IOException {
        SpecificRecord record = o.records.get(o.next++ % o.records.size());
        Object w = o.writers.get(record.getClass());
        o.bytes.reset();
        if (w instanceof CompiledDatumWriter<?> planned) {
            o.encoder = EncoderFactory.get().binaryEncoder(o.bytes, o.encoder);
            ((CompiledDatumWriter<Object>) planned).write(record, o.encoder);
            o.encoder.flush();
        } else {
            o.encoder = EncoderFactory.get().directBinaryEncoder(o.bytes, o.encoder);
            ((SpecificDatumWriter<Object>) w).write(record, o.encoder);
        }
        return o.bytes.size();
    }

    /** One input event across the shuffle: encoded in the source task, decoded in the account operator's. */
    @Benchmark
    public DecodedRecord shuffleRoundTrip(Shuffled s) throws IOException {
        return s.roundTrip.of(s.records.get(s.next++ % s.records.size()));
    }

    @Benchmark
    public EngineResult engineAppliesOneEvent(Stream s) {
        return DomainLoop.apply(s.engine, s.validator, s.states, s.nextEvent(), s.now);
    }

    @Benchmark
    public AccountState accountStateRoundTrip(FilledStates f) throws IOException {
        return f.roundTrip.of(f.states.get(f.next++ % f.states.size()));
    }
}
