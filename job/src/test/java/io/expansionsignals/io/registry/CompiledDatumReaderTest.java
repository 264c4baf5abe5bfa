package io.expansionsignals.io.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.expansionsignals.schema.AccountHealth;
import io.expansionsignals.schema.ChurnRiskSignal;
import io.expansionsignals.schema.DeadLetter;
import io.expansionsignals.schema.EngagementEvent;
import io.expansionsignals.schema.ExpansionSignal;
import io.expansionsignals.schema.MrrMovement;
import io.expansionsignals.schema.PlanCatalogUpdate;
import io.expansionsignals.schema.PortfolioMetrics;
import io.expansionsignals.schema.SubscriptionEvent;
import io.expansionsignals.schema.UsageEvent;
import io.expansionsignals.schema.internal.DecodedRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The planned reader against Avro's own, on the bytes of random records of every schema the project has. */
class CompiledDatumReaderTest {

    @ParameterizedTest
    @ValueSource(classes = {ExpansionSignal.class, ChurnRiskSignal.class, AccountHealth.class, MrrMovement.class,
            PortfolioMetrics.class, DeadLetter.class, SubscriptionEvent.class, UsageEvent.class, EngagementEvent.class,
            PlanCatalogUpdate.class, DecodedRecord.class})
    void readsWhatAvrosReaderReads(Class<? extends SpecificRecord> type) throws IOException {
        SpecificData model = SpecificData.getForClass(type);
        Schema schema = model.getSchema(type);
        CompiledDatumReader<Object> planned = new CompiledDatumReader<>(schema, model);
        SpecificDatumReader<Object> avro = new SpecificDatumReader<>(schema, schema, model);
        SpecificDatumWriter<Object> writer = new SpecificDatumWriter<>(schema, model);
        Random random = new Random(type.getName().hashCode() * 31L);
        for (int i = 0; i < 2_000; i++) {
            Object datum = RandomRecords.of(schema, model, random, 0);
            byte[] bytes = encode(writer, datum);
            Object read = planned.read(decoder(bytes));
            assertThat(read).isInstanceOf(type);
            RandomRecords.assertSameValues(read, avro.read(null, decoder(bytes)), "record " + i + " of " + type.getSimpleName());
            assertThat(encode(writer, read)).as("record %d of %s written again", i, type.getSimpleName()).isEqualTo(bytes);
        }
    }

    @Test
    void aUnionIndexOutOfRangeFailsNamingTheUnion() {
        SpecificData model = SpecificData.getForClass(DecodedRecord.class);
        Schema schema = model.getSchema(DecodedRecord.class);
        byte[] bytes = {(byte) 0x14}; // zig-zag 10: payload branch 10 of 5
        assertThatThrownBy(() -> new CompiledDatumReader<>(schema, model).read(decoder(bytes)))
                .isInstanceOf(AvroTypeException.class).hasMessageContaining("union branch 10");
    }

    @Test
    void anEnumOrdinalOutOfRangeFailsNamingTheEnum() throws IOException {
        SpecificData model = SpecificData.getForClass(UsageEvent.class);
        Schema kind = model.getSchema(UsageEvent.class).getField("kind").schema();
        byte[] bytes = {(byte) 0x7e}; // zig-zag 63
        assertThatThrownBy(() -> new CompiledDatumReader<>(kind, model).read(decoder(bytes)))
                .isInstanceOf(AvroTypeException.class).hasMessageContaining(kind.getFullName());
    }

    private static BinaryDecoder decoder(byte[] bytes) {
        return DecoderFactory.get().binaryDecoder(bytes, null);
    }

    private static byte[] encode(SpecificDatumWriter<Object> writer, Object datum) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder out = EncoderFactory.get().binaryEncoder(bytes, null);
        writer.write(datum, out);
        out.flush();
        return bytes.toByteArray();
    }
}
