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
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The planned writer against Avro's own, byte for byte, on random records of every schema the project has. */
class CompiledDatumWriterTest {
    @ParameterizedTest
    @ValueSource(classes = {ExpansionSignal.class, ChurnRiskSignal.class, AccountHealth.class, MrrMovement.class,
            PortfolioMetrics.class, DeadLetter.class, SubscriptionEvent.class, UsageEvent.class, EngagementEvent.class,
            PlanCatalogUpdate.class, DecodedRecord.class})
    void writesTheBytesAvrosWriterWrites(Class<? extends SpecificRecord> type) throws IOException {
        SpecificData model = SpecificData.getForClass(type);
        Schema schema = model.getSchema(type);
        CompiledDatumWriter<Object> planned = new CompiledDatumWriter<>(schema, model);
        SpecificDatumWriter<Object> avro = new SpecificDatumWriter<>(schema, model);
        Random random = new Random(type.getName().hashCode());
        for (int i = 0; i < 2_000; i++) {
            Object datum = RandomRecords.of(schema, model, random, 0);
            assertThat(encode(planned, datum)).as("record %d of %s: %s", i, type.getSimpleName(), datum)
                    .isEqualTo(encode(avro, datum));
        }
    }

    @Test
    void aNullInARequiredFieldFailsNamingTheField() {
        SpecificData model = SpecificData.getForClass(MrrMovement.class);
        Schema schema = model.getSchema(MrrMovement.class);
        Object movement = RandomRecords.of(schema, model, new Random(1), 0);
        ((MrrMovement) movement).put("accountId", null);
        assertThatThrownBy(() -> encode(new CompiledDatumWriter<>(schema, model), movement))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("MrrMovement.accountId");
    }

    @Test
    void aNullInARequiredRecordFieldFailsNamingTheField() {
        SpecificData model = SpecificData.getForClass(ExpansionSignal.class);
        Schema schema = model.getSchema(ExpansionSignal.class);
        ExpansionSignal signal = (ExpansionSignal) RandomRecords.of(schema, model, new Random(4), 0);
        signal.setHealth(null);
        assertThatThrownBy(() -> encode(new CompiledDatumWriter<>(schema, model), signal))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("ExpansionSignal.health");
    }

    @Test
    void aValueOfNoBranchOfAUnionFails() {
        SpecificData model = SpecificData.getForClass(DecodedRecord.class);
        Schema schema = model.getSchema(DecodedRecord.class);
        DecodedRecord decoded = (DecodedRecord) RandomRecords.of(schema, model, new Random(2), 0);
        decoded.setPayload(RandomRecords.of(model.getSchema(AccountHealth.class), model, new Random(3), 0)); // an output, not an input
        assertThatThrownBy(() -> encode(new CompiledDatumWriter<>(schema, model), decoded))
                .isInstanceOf(AvroTypeException.class).hasMessageContaining("DecodedRecord.payload");
    }

    private static byte[] encode(Object writer, Object datum) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder out = EncoderFactory.get().binaryEncoder(bytes, null);
        if (writer instanceof CompiledDatumWriter<?> w) {
            @SuppressWarnings("unchecked")
            CompiledDatumWriter<Object> planned = (CompiledDatumWriter<Object>) w;
            planned.write(datum, out);
        } else {
            @SuppressWarnings("unchecked")
            SpecificDatumWriter<Object> avro = (SpecificDatumWriter<Object>) writer;
            avro.write(datum, out);
        }
        out.flush();
        return bytes.toByteArray();
    }
}
