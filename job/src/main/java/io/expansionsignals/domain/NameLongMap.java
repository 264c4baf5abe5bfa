package io.expansionsignals.domain;

import java.util.Arrays;
import java.util.Map;

/**
 * The account state's small maps from names to longs (threshold levels, features, signal types,
 * add-ons, limits): keys and {@code long} values as two arrays in insertion order (see
 * {@link NameArrayMap}), so neither a node nor a boxed value per entry (change 41).
 */
public final class NameLongMap extends NameArrayMap<Long> {
    private long[] values;

    public NameLongMap() {
        this(0);
    }

    /** Room for {@code capacity} entries: what a decoder knows before it reads them. */
    public NameLongMap(int capacity) {
        super(capacity);
        values = capacity == 0 ? EmptyArrays.LONGS : new long[capacity];
    }

    /** The value of entry {@code i}, without boxing it. */
    public long valueAt(int i) {
        return values[i];
    }

    /**
     * Whether {@code map} holds {@code value} under {@code key}: for a NameLongMap without boxing
     * either (a get would box the value it returns, on every usage event for every threshold level).
     */
    public static boolean holds(Map<String, Long> map, String key, long value) {
        if (map instanceof NameLongMap names) {
            int i = names.indexOf(key);
            return i >= 0 && names.values[i] == value;
        }
        Long v = map.get(key);
        return v != null && v == value;
    }

    @Override
    Long value(int i) {
        return values[i];
    }

    @Override
    void setValue(int i, Long value) {
        values[i] = value;
    }

    @Override
    void growValues(int capacity) {
        values = Arrays.copyOf(values, capacity);
    }

    @Override
    void removeValue(int from, int size) {
        System.arraycopy(values, from + 1, values, from, size - from - 1);
    }

    @Override
    void clearValues(int size) {
        // longs reference nothing: the entries past the size are never read
    }
}
