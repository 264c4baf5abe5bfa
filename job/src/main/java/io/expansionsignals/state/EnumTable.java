package io.expansionsignals.state;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * How one enum is written: as its index in a table of constant names, plus one (0 is null). The
 * table is the enum's constants as they were when the state was written, kept in the serializer's
 * snapshot, so a symbol added to an Avro enum, or reordered, does not change what stored indexes
 * mean; a symbol removed fails the restore by name instead of mapping to the wrong constant.
 */
final class EnumTable<E extends Enum<E>> implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    final Class<E> type;
    /** index on disk -> constant */
    private final E[] byIndex;
    /** ordinal -> index on disk, -1 if the table has no such constant */
    private final int[] indexByOrdinal;

    private EnumTable(Class<E> type, E[] byIndex) {
        this.type = type;
        this.byIndex = byIndex;
        this.indexByOrdinal = new int[type.getEnumConstants().length];
        Arrays.fill(indexByOrdinal, -1);
        for (int i = 0; i < byIndex.length; i++) {
            indexByOrdinal[byIndex[i].ordinal()] = i;
        }
    }

    /** The table of the enum as compiled now. */
    static <E extends Enum<E>> EnumTable<E> current(Class<E> type) {
        return new EnumTable<>(type, type.getEnumConstants());
    }

    /** The table of state written when the enum had {@code names}, in that order. */
    static <E extends Enum<E>> EnumTable<E> of(Class<E> type, List<String> names) {
        @SuppressWarnings("unchecked")
        E[] byIndex = (E[]) java.lang.reflect.Array.newInstance(type, names.size());
        for (int i = 0; i < names.size(); i++) {
            try {
                byIndex[i] = Enum.valueOf(type, names.get(i));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("Account state was written with " + type.getSimpleName() + "."
                        + names.get(i) + ", which this version no longer has: it cannot be restored", e);
            }
        }
        return new EnumTable<>(type, byIndex);
    }

    List<String> names() {
        List<String> names = new ArrayList<>(byIndex.length);
        for (E e : byIndex) {
            names.add(e.name());
        }
        return names;
    }

    /**
     * True if every index this table wrote means the same constant in {@code current}: the same
     * table, or {@code current} with constants appended.
     */
    boolean readsAs(EnumTable<?> current) {
        if (type != current.type || byIndex.length > current.byIndex.length) {
            return false;
        }
        return Arrays.equals(byIndex, 0, byIndex.length, current.byIndex, 0, byIndex.length);
    }

    void write(DataOutputView out, E value) throws IOException {
        if (value == null) {
            out.writeByte(0);
            return;
        }
        int index = indexByOrdinal[value.ordinal()];
        if (index < 0) {
            throw new IllegalStateException(type.getSimpleName() + "." + value + " has no index in this table");
        }
        VarInts.writeInt(out, index + 1);
    }

    E read(DataInputView in) throws IOException {
        int stored = VarInts.readSize(in);
        if (stored == 0) {
            return null;
        }
        if (stored > byIndex.length) {
            throw new IOException("malformed account state: " + type.getSimpleName() + " index " + (stored - 1)
                    + " of " + byIndex.length);
        }
        return byIndex[stored - 1];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EnumTable<?> t && type == t.type && Arrays.equals(byIndex, t.byIndex);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(byIndex);
    }
}
