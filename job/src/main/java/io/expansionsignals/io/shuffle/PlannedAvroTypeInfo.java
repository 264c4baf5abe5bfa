package io.expansionsignals.io.shuffle;

import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Type information for a generated Avro record that crosses between tasks with a {@link PlannedAvroSerializer}. */
public final class PlannedAvroTypeInfo<T extends SpecificRecord> extends TypeInformation<T> {
    private static final long serialVersionUID = 1L;

    private final Class<T> type;

    public PlannedAvroTypeInfo(Class<T> type) {
        this.type = Objects.requireNonNull(type, "type");
    }

    @Override
    public TypeSerializer<T> createSerializer(SerializerConfig config) {
        return new PlannedAvroSerializer<>(type);
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<T> getTypeClass() {
        return type;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public String toString() {
        return "PlannedAvroTypeInfo<" + type.getName() + ">";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PlannedAvroTypeInfo<?> other && other.type == type;
    }

    @Override
    public int hashCode() {
        return type.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof PlannedAvroTypeInfo<?>;
    }
}
