package io.expansionsignals.io.registry;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;

/** Random values of the project's Avro schemas for the encoding tests: nulls, empty and large collections, non-ASCII text, extreme numbers. */
public final class RandomRecords {
    private static final String[] TEXT = {"", "a", "acme-42", "é", "Grüße", "漢字", "\uD83D\uDE80 launch", "x".repeat(300)};

    private RandomRecords() {}

    /**
     * Asserts two records hold the same values, field by field: Avro's own {@code equals} never
     * matches a NaN, and it takes a Utf8 for the String it stands for, so neither would do here.
     */
    public static void assertSameValues(Object actual, Object expected, String description) {
        org.assertj.core.api.Assertions.assertThat(actual).as(description)
                .usingRecursiveComparison()
                .withEqualsForType(Double::equals, Double.class)
                .withEqualsForType(Float::equals, Float.class)
                .isEqualTo(expected);
    }

    /** A random record of a generated class. */
    public static <T> T of(Class<T> type, Random r) {
        SpecificData model = SpecificData.getForClass(type);
        return type.cast(of(model.getSchema(type), model, r, 0));
    }

    /** A random value of {@code schema}: nulls, empty and large collections, non-ASCII text, extreme numbers. */
    public static Object of(Schema schema, SpecificData model, Random r, int depth) {
        if (schema.getLogicalType() != null && "timestamp-millis".equals(schema.getLogicalType().getName())) {
            long[] edges = {0, -1, 1, Long.MAX_VALUE / 1000 - 1, -62_135_596_800_000L, 1_764_547_200_123L};
            return Instant.ofEpochMilli(r.nextBoolean() ? edges[r.nextInt(edges.length)] : r.nextLong() % 100_000_000_000_000L);
        }
        switch (schema.getType()) {
            case RECORD: {
                Object record = model.newRecord(null, schema);
                for (Schema.Field f : schema.getFields()) {
                    model.setField(record, f.name(), f.pos(), of(f.schema(), model, r, depth + 1));
                }
                return record;
            }
            case UNION: {
                List<Schema> types = schema.getTypes();
                return of(types.get(r.nextInt(types.size())), model, r, depth + 1);
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
                    items.add(of(schema.getElementType(), model, r, depth + 1));
                }
                return items;
            }
            case MAP: {
                Map<String, Object> entries = new HashMap<>();
                for (int i = r.nextInt(depth > 4 ? 2 : 6); i > 0; i--) {
                    entries.put(TEXT[r.nextInt(TEXT.length)] + i, of(schema.getValueType(), model, r, depth + 1));
                }
                return entries;
            }
            default:
                throw new IllegalArgumentException("no random value for " + schema);
        }
    }
}
