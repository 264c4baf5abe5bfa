package io.expansionsignals.io.shuffle;

import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The record class and the schema a {@link PlannedAvroSerializer} wrote with. Compatible as is
 * with the same class and schema, incompatible otherwise: it carries records between tasks, and
 * bytes of another schema are not read with resolution (see the serializer).
 */
public final class PlannedAvroSerializerSnapshot<T extends SpecificRecord> implements TypeSerializerSnapshot<T> {
    private static final int VERSION = 1;

    private Class<T> type;
    private Schema schema;

    /** For Flink, which creates the snapshot by reflection and then reads it. */
    public PlannedAvroSerializerSnapshot() {}

    PlannedAvroSerializerSnapshot(PlannedAvroSerializer<T> serializer) {
        this.type = serializer.type();
        this.schema = serializer.schema();
    }

    @Override
    public int getCurrentVersion() {
        return VERSION;
    }

    @Override
    public void writeSnapshot(DataOutputView out) throws IOException {
        out.writeUTF(type.getName());
        byte[] text = schema.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(text.length);
        out.write(text);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader) throws IOException {
        if (readVersion != VERSION) {
            throw new IOException("planned Avro serializer snapshot version " + readVersion + " is not " + VERSION);
        }
        String className = in.readUTF();
        byte[] text = new byte[in.readInt()];
        in.readFully(text);
        try {
            type = (Class<T>) Class.forName(className, false, classLoader);
        } catch (ClassNotFoundException e) {
            throw new IOException("record class " + className + " of a planned Avro serializer is not on the class path", e);
        }
        schema = new Schema.Parser().parse(new String(text, java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public TypeSerializer<T> restoreSerializer() {
        return new PlannedAvroSerializer<>(type);
    }

    @Override
    public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(TypeSerializerSnapshot<T> oldSnapshot) {
        if (oldSnapshot instanceof PlannedAvroSerializerSnapshot<T> old && old.type == type && old.schema.equals(schema)) {
            return TypeSerializerSchemaCompatibility.compatibleAsIs();
        }
        return TypeSerializerSchemaCompatibility.incompatible();
    }
}
