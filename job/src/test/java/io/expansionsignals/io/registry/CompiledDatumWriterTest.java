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
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    private static final String[] TEXT = {"", "a", "acme-42", "é", "Grüße", "漢字", "\uD83D\uDE80 launch", "x".repeat(300)};

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
            Object datum = randomDatum(schema, model, random, 0);
            assertThat(encode(planned, datum)).as("record %d of %s: %s", i, type.getSimpleName(), datum)
                    .isEqualTo(encode(avro, datum));
        }
    }

    @Test
    void aNullInARequiredFieldFailsNamingTheField() {
        SpecificData model = SpecificData.getForClass(MrrMovement.class);
        Schema schema = model.getSchema(MrrMovement.class);
        Object movement = randomDatum(schema, model, new Random(1), 0);
        ((MrrMovement) movement).put("accountId", null);
        assertThatThrownBy(() -> encode(new CompiledDatumWriter<>(schema, model), movement))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("MrrMovement.accountId");
    }

    @Test
    void aNullInARequiredRecordFieldFailsNamingTheField() {
        SpecificData model = SpecificData.getForClass(ExpansionSignal.class);
        Schema schema = model.getSchema(ExpansionSignal.class);
        ExpansionSignal signal = (ExpansionSignal) randomDatum(schema, model, new Random(4), 0);
        signal.setHealth(null);
        assertThatThrownBy(() -> encode(new CompiledDatumWriter<>(schema, model), signal))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("ExpansionSignal.health");
    }

    @Test
    void aValueOfNoBranchOfAUnionFails() {
        SpecificData model = SpecificData.getForClass(DecodedRecord.class);
        Schema schema = model.getSchema(DecodedRecord.class);
        DecodedRecord decoded = (DecodedRecord) randomDatum(schema, model, new Random(2), 0);
        decoded.setPayload(randomDatum(model.getSchema(AccountHealth.class), model, new Random(3), 0)); // an output, not an input
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

    /** A random value of {@code schema}: nulls, empty and large collections, non-ASCII text, extreme numbers. */
    private static Object randomDatum(Schema schema, SpecificData model, Random r, int depth) {
        if (schema.getLogicalType() != null && "timestamp-millis".equals(schema.getLogicalType().getName())) {
            long[] edges = {0, -1, 1, Long.MAX_VALUE / 1000 - 1, -62_135_596_800_000L, 1_764_547_200_123L};
            return Instant.ofEpochMilli(r.nextBoolean() ? edges[r.nextInt(edges.length)] : r.nextLong() % 100_000_000_000_000L);
        }
        switch (schema.getType()) {
            case RECORD: {
                Object record = model.newRecord(null, schema);
                for (Schema.Field f : schema.getFields()) {
                    model.setField(record, f.name(), f.pos(), randomDatum(f.schema(), model, r, depth + 1));
                }
                return record;
            }
            case UNION: {
                List<Schema> types = schema.getTypes();
                return randomDatum(types.get(r.nextInt(types.size())), model, r, depth + 1);
            }
            case NULL:
                return null;
            case STRING:
                return TEXT[r.nextInt(TEXT.length)] + (r.nextBoolean() ? "" : Integer.toString(r.nextInt()));
            case BOOLEAN:
                return r.nextBoolean();
            case INT:
                return r.nextBoolean() ? r.nextInt() : r.nextInt(200) - 100;
            case LONG:
                return r.nextBoolean() ? r.nextLong() : (long) (r.nextInt(200) - 100);
            case FLOAT:
                return r.nextFloat() * 1e6f - 5e5f;
            case DOUBLE: {
                double[] edges = {0.0, -0.0, Double.NaN, Double.MAX_VALUE, Double.MIN_VALUE, 0.8, -1.5};
                return r.nextBoolean() ? edges[r.nextInt(edges.length)] : r.nextGaussian() * 1e9;
            }
            case BYTES: {
                byte[] b = new byte[r.nextInt(40)];
                r.nextBytes(b);
                return ByteBuffer.wrap(b);
            }
            case ENUM:
                return model.createEnum(schema.getEnumSymbols().get(r.nextInt(schema.getEnumSymbols().size())), schema);
            case ARRAY: {
                List<Object> items = new ArrayList<>();
                for (int i = r.nextInt(depth > 4 ? 2 : 5); i > 0; i--) {
                    items.add(randomDatum(schema.getElementType(), model, r, depth + 1));
                }
                return items;
            }
            case MAP: {
                Map<String, Object> entries = new HashMap<>();
                for (int i = r.nextInt(depth > 4 ? 2 : 6); i > 0; i--) {
                    entries.put(TEXT[r.nextInt(TEXT.length)] + i, randomDatum(schema.getValueType(), model, r, depth + 1));
                }
                return entries;
            }
            default:
                throw new IllegalArgumentException("no random value for " + schema);
        }
    }
}
