package io.expansionsignals.io.registry;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Conversion;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.Encoder;
import org.apache.avro.specific.SpecificData;

/**
 * Writes specific records in Avro binary with a writer planned once per schema: the same bytes
 * as Avro's {@code SpecificDatumWriter}, which decides every field's type, union branch (by type
 * name, through hash maps) and logical-type conversion (by the value's class) anew for every
 * record. The job encodes every output it emits (0.7 per input event at 1 M accounts); on the
 * engine's own outputs this writer with a buffered encoder takes 0.90 µs per record against 1.50 µs
 * (JMH {@code outputEncoding}; docs/performance-history.md, change 23).
 *
 * <p>A union branch is chosen by the value's Java class, in the branches' order; a value matching
 * no branch, or null where the schema has no null, fails as Avro's writer does, naming the field.
 * {@code CompiledDatumWriterTest} holds the bytes equal to Avro's for every schema of the project.
 */
public final class CompiledDatumWriter<T> {
    /** Writes one value of a planned schema. */
    private interface Writer {
        void write(Object value, Encoder out) throws IOException;
    }

    private final Writer root;

    public CompiledDatumWriter(Schema schema, SpecificData model) {
        this.root = plan(schema, model, schema.getFullName(), new HashMap<>());
    }

    public void write(T datum, Encoder out) throws IOException {
        root.write(datum, out);
    }

    private static Writer plan(Schema schema, SpecificData model, String path, Map<String, Writer[]> records) {
        Conversion<?> conversion = conversionOf(schema, model);
        Writer raw = planRaw(schema, model, path, records);
        if (conversion == null) {
            return raw;
        }
        Class<?> converted = conversion.getConvertedType();
        LogicalType logical = schema.getLogicalType();
        // As Avro's writer: a value of the conversion's type is converted, any other written as it is.
        return (value, out) -> raw.write(converted.isInstance(value)
                ? Conversions.convertToRawType(value, schema, logical, conversion) : value, out);
    }

    /** The model's conversion for the schema's logical type, or null (no logical type, or none registered); the reader's too. */
    static Conversion<?> conversionOf(Schema schema, SpecificData model) {
        LogicalType logical = schema.getLogicalType();
        return logical == null ? null : model.getConversionFor(logical);
    }

    private static Writer planRaw(Schema schema, SpecificData model, String path, Map<String, Writer[]> records) {
        return switch (schema.getType()) {
            case RECORD -> record(schema, model, path, records);
            case UNION -> union(schema, model, path, records);
            case NULL -> (value, out) -> {
                if (value != null) {
                    throw new AvroTypeException("not null at " + path + ": " + value);
                }
                out.writeNull();
            };
            case STRING -> (value, out) -> out.writeString((CharSequence) present(value, path));
            case BOOLEAN -> (value, out) -> out.writeBoolean((Boolean) present(value, path));
            case INT -> (value, out) -> out.writeInt(((Number) present(value, path)).intValue());
            case LONG -> (value, out) -> out.writeLong(((Number) present(value, path)).longValue());
            case FLOAT -> (value, out) -> out.writeFloat(((Number) present(value, path)).floatValue());
            case DOUBLE -> (value, out) -> out.writeDouble(((Number) present(value, path)).doubleValue());
            case BYTES -> (value, out) -> out.writeBytes(((ByteBuffer) present(value, path)).duplicate());
            case FIXED -> (value, out) -> out.writeFixed(((GenericFixed) present(value, path)).bytes(), 0, schema.getFixedSize());
            case ENUM -> (value, out) -> out.writeEnum(present(value, path) instanceof Enum<?> e ? e.ordinal()
                    : schema.getEnumOrdinal(((GenericEnumSymbol<?>) value).toString()));
            case ARRAY -> array(plan(schema.getElementType(), model, path + "[]", records), path);
            case MAP -> map(plan(schema.getValueType(), model, path + "{}", records), path);
        };
    }

    /** A record's fields in order; planned once per record name, so a recursive schema refers to itself. */
    private static Writer record(Schema schema, SpecificData model, String path, Map<String, Writer[]> records) {
        Writer[] fields = records.get(schema.getFullName());
        if (fields == null) {
            fields = new Writer[schema.getFields().size()];
            records.put(schema.getFullName(), fields);
            for (Schema.Field f : schema.getFields()) {
                fields[f.pos()] = plan(f.schema(), model, schema.getName() + "." + f.name(), records);
            }
        }
        Writer[] planned = fields;
        return (value, out) -> {
            IndexedRecord r = (IndexedRecord) present(value, path);
            for (int i = 0; i < planned.length; i++) {
                planned[i].write(r.get(i), out);
            }
        };
    }

    private static Writer union(Schema schema, SpecificData model, String path, Map<String, Writer[]> records) {
        List<Schema> types = schema.getTypes();
        int nullIndex = -1;
        List<Class<?>> classes = new ArrayList<>();
        List<Integer> indexes = new ArrayList<>();
        List<Writer> writers = new ArrayList<>();
        for (int i = 0; i < types.size(); i++) {
            Schema branch = types.get(i);
            if (branch.getType() == Schema.Type.NULL) {
                nullIndex = i;
                continue;
            }
            classes.add(branchClass(branch, model));
            indexes.add(i);
            writers.add(plan(branch, model, path, records));
        }
        Class<?>[] branchClasses = classes.toArray(Class<?>[]::new);
        int[] branchIndexes = indexes.stream().mapToInt(Integer::intValue).toArray();
        Writer[] branchWriters = writers.toArray(Writer[]::new);
        int nullBranch = nullIndex;
        return (value, out) -> {
            if (value == null) {
                if (nullBranch < 0) {
                    throw new NullPointerException("null value for (non-nullable) " + schema + " at " + path);
                }
                out.writeIndex(nullBranch);
                return;
            }
            for (int b = 0; b < branchClasses.length; b++) {
                if (branchClasses[b].isInstance(value)) {
                    out.writeIndex(branchIndexes[b]);
                    branchWriters[b].write(value, out);
                    return;
                }
            }
            throw new AvroTypeException("not in union " + schema + " at " + path + ": " + value.getClass().getName());
        };
    }

    /** The Java class a value of a union branch has: the converted type for a logical type, else the schema's. */
    private static Class<?> branchClass(Schema branch, SpecificData model) {
        Conversion<?> conversion = conversionOf(branch, model);
        if (conversion != null) {
            return conversion.getConvertedType();
        }
        return switch (branch.getType()) {
            case STRING -> CharSequence.class;
            case BOOLEAN -> Boolean.class;
            case INT -> Integer.class;
            case LONG -> Long.class;
            case FLOAT -> Float.class;
            case DOUBLE -> Double.class;
            case BYTES -> ByteBuffer.class;
            case ARRAY -> Collection.class;
            case MAP -> Map.class;
            case RECORD, ENUM, FIXED -> {
                Class<?> c = model.getClass(branch);
                if (c == null || c == Object.class) {
                    throw new AvroTypeException("no generated class for " + branch.getFullName());
                }
                yield c;
            }
            default -> throw new AvroTypeException("unsupported union branch " + branch);
        };
    }

    private static Writer array(Writer element, String path) {
        return (value, out) -> {
            Collection<?> items = (Collection<?>) present(value, path);
            out.writeArrayStart();
            out.setItemCount(items.size());
            for (Object item : items) {
                out.startItem();
                element.write(item, out);
            }
            out.writeArrayEnd();
        };
    }

    private static Writer map(Writer valueWriter, String path) {
        return (value, out) -> {
            Map<?, ?> entries = (Map<?, ?>) present(value, path);
            out.writeMapStart();
            out.setItemCount(entries.size());
            for (Map.Entry<?, ?> e : entries.entrySet()) {
                out.startItem();
                out.writeString(e.getKey().toString());
                valueWriter.write(e.getValue(), out);
            }
            out.writeMapEnd();
        };
    }

    private static Object present(Object value, String path) {
        if (value == null) {
            throw new NullPointerException("null value for (non-nullable) field " + path);
        }
        return value;
    }
}
