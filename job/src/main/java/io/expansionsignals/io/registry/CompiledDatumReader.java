package io.expansionsignals.io.registry;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Conversion;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.Decoder;
import org.apache.avro.specific.SpecificData;

/**
 * Reads specific records from Avro binary written with the same schema (no schema resolution),
 * with a reader planned once per schema: the counterpart of {@link CompiledDatumWriter}. Avro's
 * {@code SpecificDatumReader} goes through a resolving decoder and decides every field's string
 * class, record class and logical-type conversion through hash maps for every record; this is
 * what the job's shuffle pays on each input event in the keyed task (docs/performance-history.md,
 * change 35).
 *
 * <p>Only for bytes of this exact schema: records from a topic are read with Avro's resolving
 * reader ({@link ConfluentAvroDecoder}), since their writer's schema may differ.
 */
public final class CompiledDatumReader<T> {
    /** Reads one value of a planned schema. */
    private interface Reader {
        Object read(Decoder in) throws IOException;
    }

    private final Reader root;

    public CompiledDatumReader(Schema schema, SpecificData model) {
        this.root = plan(schema, model, new HashMap<>());
    }

    @SuppressWarnings("unchecked")
    public T read(Decoder in) throws IOException {
        return (T) root.read(in);
    }

    private static Reader plan(Schema schema, SpecificData model, Map<String, Reader[]> records) {
        Conversion<?> conversion = CompiledDatumWriter.conversionOf(schema, model);
        Reader raw = planRaw(schema, model, records);
        if (conversion == null) {
            return raw;
        }
        LogicalType logical = schema.getLogicalType();
        return in -> Conversions.convertToLogicalType(raw.read(in), schema, logical, conversion);
    }

    private static Reader planRaw(Schema schema, SpecificData model, Map<String, Reader[]> records) {
        return switch (schema.getType()) {
            case RECORD -> record(schema, model, records);
            case UNION -> union(schema, model, records);
            case NULL -> in -> {
                in.readNull();
                return null;
            };
            case STRING -> stringReader(schema);
            case BOOLEAN -> Decoder::readBoolean;
            case INT -> Decoder::readInt;
            case LONG -> Decoder::readLong;
            case FLOAT -> Decoder::readFloat;
            case DOUBLE -> Decoder::readDouble;
            case BYTES -> in -> in.readBytes(null);
            case FIXED -> in -> {
                byte[] bytes = new byte[schema.getFixedSize()];
                in.readFixed(bytes);
                return model.createFixed(null, bytes, schema);
            };
            case ENUM -> enumReader(schema, model);
            case ARRAY -> array(plan(schema.getElementType(), model, records));
            case MAP -> map(plan(schema.getValueType(), model, records), schema);
        };
    }

    /** Text as the generated classes hold it: {@code String} under {@code stringType=String}, else Avro's {@code Utf8}. */
    private static Reader stringReader(Schema schema) {
        if (GenericData.StringType.String.name().equals(schema.getProp(GenericData.STRING_PROP))) {
            return Decoder::readString;
        }
        return in -> in.readString(null);
    }

    /** A record's fields in order; planned once per record name, so a recursive schema refers to itself. */
    private static Reader record(Schema schema, SpecificData model, Map<String, Reader[]> records) {
        Reader[] fields = records.get(schema.getFullName());
        if (fields == null) {
            fields = new Reader[schema.getFields().size()];
            records.put(schema.getFullName(), fields);
            for (Schema.Field f : schema.getFields()) {
                fields[f.pos()] = plan(f.schema(), model, records);
            }
        }
        Reader[] planned = fields;
        Constructor<?> constructor = constructorOf(schema, model);
        return in -> {
            IndexedRecord r = newRecord(constructor, schema);
            for (int i = 0; i < planned.length; i++) {
                r.put(i, planned[i].read(in));
            }
            return r;
        };
    }

    private static Constructor<?> constructorOf(Schema schema, SpecificData model) {
        Class<?> c = model.getClass(schema);
        if (c == null || c == Object.class || !IndexedRecord.class.isAssignableFrom(c)) {
            throw new AvroTypeException("no generated class for " + schema.getFullName());
        }
        try {
            return c.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new AvroTypeException("no public no-argument constructor in " + c.getName());
        }
    }

    private static IndexedRecord newRecord(Constructor<?> constructor, Schema schema) {
        try {
            return (IndexedRecord) constructor.newInstance((Object[]) null); // no empty varargs array per record
        } catch (ReflectiveOperationException e) {
            throw new AvroRuntimeException("cannot create a " + schema.getFullName(), e);
        }
    }

    private static Reader union(Schema schema, SpecificData model, Map<String, Reader[]> records) {
        List<Schema> types = schema.getTypes();
        Reader[] branches = new Reader[types.size()];
        for (int i = 0; i < branches.length; i++) {
            branches[i] = plan(types.get(i), model, records);
        }
        return in -> {
            int index = in.readIndex();
            if (index < 0 || index >= branches.length) {
                throw new AvroTypeException("union branch " + index + " out of range in " + schema);
            }
            return branches[index].read(in);
        };
    }

    private static Reader enumReader(Schema schema, SpecificData model) {
        List<String> symbols = schema.getEnumSymbols();
        Object[] values = new Object[symbols.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = model.createEnum(symbols.get(i), schema);
        }
        return in -> {
            int ordinal = in.readEnum();
            if (ordinal < 0 || ordinal >= values.length) {
                throw new AvroTypeException("enum ordinal " + ordinal + " out of range in " + schema.getFullName());
            }
            return values[ordinal];
        };
    }

    private static Reader array(Reader element) {
        return in -> {
            long n = in.readArrayStart();
            List<Object> items = new ArrayList<>((int) Math.min(n, 1024));
            for (; n > 0; n = in.arrayNext()) {
                for (long i = 0; i < n; i++) {
                    items.add(element.read(in));
                }
            }
            return items;
        };
    }

    private static Reader map(Reader valueReader, Schema schema) {
        Reader key = stringReader(schema);
        return in -> {
            long n = in.readMapStart();
            Map<Object, Object> entries = new HashMap<>();
            for (; n > 0; n = in.mapNext()) {
                for (long i = 0; i < n; i++) {
                    Object k = key.read(in);
                    entries.put(k, valueReader.read(in));
                }
            }
            return entries;
        };
    }
}
