package io.expansionsignals.io.shuffle;

import io.expansionsignals.io.registry.CompiledDatumReader;
import io.expansionsignals.io.registry.CompiledDatumWriter;
import java.io.IOException;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.formats.avro.utils.DataInputDecoder;
import org.apache.flink.formats.avro.utils.DataOutputEncoder;

/**
 * Carries a generated Avro record between Flink tasks, with a writer and a reader planned once per
 * schema ({@link CompiledDatumWriter}, {@link CompiledDatumReader}) over Flink's own Avro encoder
 * and decoder. The bytes are the ones Flink's {@code AvroSerializer} writes; what differs is the cost: that one
 * resolves each field's type, string class and logical-type conversion through Avro's generic
 * datum reader and writer on every record. Every input event crosses the shuffle to the account
 * operator once, so this is paid per event on both sides (docs/performance-history.md, change 35).
 *
 * <p>For records in flight between tasks, not for state: its snapshot accepts only the same
 * schema, where Flink's {@code AvroSerializer} would migrate. An unaligned checkpoint taken with
 * records in flight restores only into a job of the same schemas; savepoints hold none.
 */
public final class PlannedAvroSerializer<T extends SpecificRecord> extends TypeSerializer<T> {
    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private transient Schema schema;
    private transient CompiledDatumWriter<T> writer;
    private transient CompiledDatumReader<T> reader;
    private transient DataOutputEncoder encoder;
    private transient DataInputDecoder decoder;

    public PlannedAvroSerializer(Class<T> type) {
        this.type = Objects.requireNonNull(type, "type");
    }

    Class<T> type() {
        return type;
    }

    Schema schema() {
        plan();
        return schema;
    }

    /** Planned on first use, so a serializer shipped to a task manager plans there, once per instance. */
    private void plan() {
        if (writer == null) {
            SpecificData model = SpecificData.getForClass(type);
            schema = model.getSchema(type);
            writer = new CompiledDatumWriter<>(schema, model);
            reader = new CompiledDatumReader<>(schema, model);
            encoder = new DataOutputEncoder();
            decoder = new DataInputDecoder();
        }
    }

    @Override
    public void serialize(T record, DataOutputView target) throws IOException {
        plan();
        encoder.setOut(target);
        writer.write(record, encoder);
    }

    @Override
    public T deserialize(DataInputView source) throws IOException {
        plan();
        decoder.setIn(source);
        return reader.read(decoder);
    }

    @Override
    public T deserialize(T reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public T copy(T from) {
        plan();
        return SpecificData.getForClass(type).deepCopy(schema, from);
    }

    @Override
    public T copy(T from, T reuse) {
        return copy(from);
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    /** A new instance: the encoder and decoder it holds are per thread. */
    @Override
    public TypeSerializer<T> duplicate() {
        return new PlannedAvroSerializer<>(type);
    }

    @Override
    public T createInstance() {
        plan();
        return type.cast(SpecificData.getForClass(type).newRecord(null, schema));
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public TypeSerializerSnapshot<T> snapshotConfiguration() {
        return new PlannedAvroSerializerSnapshot<>(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PlannedAvroSerializer<?> other && other.type == type;
    }

    @Override
    public int hashCode() {
        return type.hashCode();
    }

    @Override
    public String toString() {
        return "PlannedAvroSerializer(" + type.getName() + ")";
    }
}
