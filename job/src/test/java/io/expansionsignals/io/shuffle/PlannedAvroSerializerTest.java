package io.expansionsignals.io.shuffle;

import static org.assertj.core.api.Assertions.assertThat;

import io.expansionsignals.io.registry.RandomRecords;
import io.expansionsignals.schema.AccountHealth;
import io.expansionsignals.schema.internal.DecodedRecord;
import java.io.IOException;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.junit.jupiter.api.Test;

/**
 * The shuffle's serializer through Flink's own serializer contract (copies, sequences, reuse,
 * snapshots, duplicates in threads), and against Flink's {@code AvroSerializer}: the same bytes.
 */
class PlannedAvroSerializerTest extends SerializerTestBase<DecodedRecord> {

    @Override
    protected TypeSerializer<DecodedRecord> createSerializer() {
        return new PlannedAvroSerializer<>(DecodedRecord.class);
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<DecodedRecord> getTypeClass() {
        return DecodedRecord.class;
    }

    @Override
    protected DecodedRecord[] getTestData() {
        Random random = new Random(35);
        DecodedRecord[] records = new DecodedRecord[200];
        for (int i = 0; i < records.length; ) {
            DecodedRecord record = RandomRecords.of(DecodedRecord.class, random);
            if (!record.toString().contains("NaN")) { // Avro's equals, which the base class compares with, never matches a NaN
                records[i++] = record;
            }
        }
        return records;
    }

    @Test
    void writesTheBytesFlinksAvroSerializerWritesAndReadsThem() throws IOException {
        AvroSerializer<DecodedRecord> flinks = new AvroSerializer<>(DecodedRecord.class);
        TypeSerializer<DecodedRecord> planned = createSerializer();
        Random random = new Random(7);
        for (int i = 0; i < 2_000; i++) {
            DecodedRecord record = RandomRecords.of(DecodedRecord.class, random);
            byte[] bytes = bytes(planned, record);
            assertThat(bytes).as("record %d", i).isEqualTo(bytes(flinks, record));
            RandomRecords.assertSameValues(planned.deserialize(new DataInputDeserializer(bytes)), record, "record " + i);
        }
    }

    @Test
    void theTypeInfoCreatesThePlannedSerializer() {
        assertThat(new PlannedAvroTypeInfo<>(DecodedRecord.class).createSerializer(new SerializerConfigImpl()))
                .isEqualTo(createSerializer())
                .isNotEqualTo(new PlannedAvroSerializer<>(AccountHealth.class));
        assertThat(new PlannedAvroTypeInfo<>(DecodedRecord.class))
                .isEqualTo(new PlannedAvroTypeInfo<>(DecodedRecord.class))
                .isNotEqualTo(new AvroTypeInfo<>(DecodedRecord.class));
    }

    @Test
    void aSnapshotOfTheSameSchemaIsCompatibleAsIsAndAnotherIsNot() throws IOException {
        TypeSerializerSnapshot<DecodedRecord> current = createSerializer().snapshotConfiguration();
        TypeSerializerSnapshot<DecodedRecord> restored = roundTrip(current);
        assertThat(current.resolveSchemaCompatibility(restored).isCompatibleAsIs()).isTrue();
        assertThat(restored.restoreSerializer()).isEqualTo(createSerializer());

        // The same class written with another schema (a field added since): not read without resolution.
        Schema other = new Schema.Parser().parse(DecodedRecord.getClassSchema().toString()
                .replaceFirst("\"fields\":\\[", "\"fields\":[{\"name\":\"added\",\"type\":\"int\",\"default\":0},"));
        PlannedAvroSerializerSnapshot<DecodedRecord> older = withSchema(other);
        TypeSerializerSchemaCompatibility<DecodedRecord> compatibility = current.resolveSchemaCompatibility(older);
        assertThat(compatibility.isIncompatible()).isTrue();
    }

    private static PlannedAvroSerializerSnapshot<DecodedRecord> withSchema(Schema schema) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(4096);
        out.writeUTF(DecodedRecord.class.getName());
        byte[] text = schema.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(text.length);
        out.write(text);
        PlannedAvroSerializerSnapshot<DecodedRecord> snapshot = new PlannedAvroSerializerSnapshot<>();
        snapshot.readSnapshot(1, new DataInputDeserializer(out.getCopyOfBuffer()), PlannedAvroSerializerTest.class.getClassLoader());
        return snapshot;
    }

    private static TypeSerializerSnapshot<DecodedRecord> roundTrip(TypeSerializerSnapshot<DecodedRecord> snapshot) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(4096);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        return TypeSerializerSnapshot.readVersionedSnapshot(new DataInputDeserializer(out.getCopyOfBuffer()),
                PlannedAvroSerializerTest.class.getClassLoader());
    }

    private static byte[] bytes(TypeSerializer<DecodedRecord> serializer, DecodedRecord record) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(record, out);
        return out.getCopyOfBuffer();
    }
}
