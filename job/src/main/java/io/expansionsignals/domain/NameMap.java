package io.expansionsignals.domain;

import java.util.Arrays;

/**
 * The account state's small maps from names (or ids) to objects (metrics, subscriptions, gate hits,
 * signal levels): keys and values as two arrays in insertion order (see {@link NameArrayMap}), so
 * no table and no node per entry (change 43).
 */
public final class NameMap<V> extends NameArrayMap<V> {
    private static final Object[] NO_VALUES = new Object[0];

    private Object[] values;

    public NameMap() {
        this(0);
    }

    /** Room for {@code capacity} entries: what a decoder knows before it reads them. */
    public NameMap(int capacity) {
        super(capacity);
        values = capacity == 0 ? NO_VALUES : new Object[capacity];
    }

    /** The value of entry {@code i}, 0 ≤ i < {@link #size()}, in insertion order: for encoders. */
    @SuppressWarnings("unchecked")
    public V valueAt(int i) {
        return (V) values[i];
    }

    @Override
    V value(int i) {
        return valueAt(i);
    }

    @Override
    void setValue(int i, V value) {
        values[i] = value;
    }

    @Override
    void growValues(int capacity) {
        values = Arrays.copyOf(values, capacity);
    }

    @Override
    void removeValue(int from, int size) {
        System.arraycopy(values, from + 1, values, from, size - from - 1);
        values[size - 1] = null;
    }

    @Override
    void clearValues(int size) {
        Arrays.fill(values, 0, size, null);
    }
}
