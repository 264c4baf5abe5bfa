package io.expansionsignals.domain;

import java.util.AbstractCollection;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The account state's small maps from names to longs (threshold levels, features, signal types,
 * add-ons, limits), as two arrays in insertion order. A {@code HashMap} of n entries is a table,
 * n nodes and n boxed values besides the map; this is the map and two arrays, however many
 * entries. Why it matters: every changed account is encoded at the checkpoint barrier, long after
 * its objects left the CPU's caches, and that walk is mostly waiting on memory, one wait per
 * object reached (docs/performance.md, change 41).
 *
 * <p>Look-ups scan the keys, comparing references first: names are kept as {@link SharedNames},
 * so the key asked for is usually the very instance stored. These maps hold a handful of entries
 * (a few levels per metric, the features used in 60 days, one entry per signal type), where a
 * scan of a few references costs no more than hashing the key; a map of hundreds of names would
 * still work, only slower per look-up.
 *
 * <p>Not thread-safe, no fail-fast iteration; null keys and values are refused.
 */
public final class NameLongMap extends AbstractMap<String, Long> {
    private static final String[] NO_KEYS = new String[0];
    private static final long[] NO_VALUES = EmptyArrays.LONGS;

    private String[] keys;
    private long[] values;
    private int size;

    public NameLongMap() {
        keys = NO_KEYS;
        values = NO_VALUES;
    }

    /** Room for {@code capacity} entries: what a decoder knows before it reads them. */
    public NameLongMap(int capacity) {
        keys = capacity == 0 ? NO_KEYS : new String[capacity];
        values = capacity == 0 ? NO_VALUES : new long[capacity];
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    /** The key of entry {@code i}, 0 ≤ i < {@link #size()}, in insertion order: for encoders. */
    public String keyAt(int i) {
        return keys[i];
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

    private int indexOf(Object key) {
        for (int i = 0; i < size; i++) {
            if (keys[i] == key) {
                return i;
            }
        }
        if (key != null) {
            for (int i = 0; i < size; i++) {
                if (keys[i].equals(key)) {
                    return i;
                }
            }
        }
        return -1;
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public Long get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : values[i];
    }

    @Override
    public Long getOrDefault(Object key, Long absent) {
        int i = indexOf(key);
        return i < 0 ? absent : values[i];
    }

    @Override
    public Long put(String key, Long value) {
        if (key == null || value == null) {
            throw new NullPointerException("NameLongMap takes neither null keys nor null values");
        }
        int i = indexOf(key);
        if (i >= 0) {
            long old = values[i];
            values[i] = value;
            return old;
        }
        if (size == keys.length) {
            int capacity = Math.max(4, 2 * size);
            keys = Arrays.copyOf(keys, capacity);
            values = Arrays.copyOf(values, capacity);
        }
        keys[size] = key;
        values[size] = value;
        size++;
        return null;
    }

    @Override
    public Long remove(Object key) {
        int i = indexOf(key);
        if (i < 0) {
            return null;
        }
        long old = values[i];
        removeAt(i);
        return old;
    }

    private void removeAt(int i) {
        int after = size - i - 1;
        System.arraycopy(keys, i + 1, keys, i, after);
        System.arraycopy(values, i + 1, values, i, after);
        keys[--size] = null;
    }

    @Override
    public void clear() {
        Arrays.fill(keys, 0, size, null);
        size = 0;
    }

    @Override
    public Set<Map.Entry<String, Long>> entrySet() {
        return new Entries(); // a view is two fields; not kept, so an account's maps stay as small as they can
    }

    /** The values in entry order; iterating them neither makes entries nor scans for keys. */
    @Override
    public Collection<Long> values() {
        return new Values();
    }

    /** Walks the entries by index; {@code remove} takes out the last one returned, as a HashMap's iterators do. */
    private abstract class Cursor<T> implements Iterator<T> {
        private int next;
        private int last = -1;

        @Override
        public boolean hasNext() {
            return next < size;
        }

        @Override
        public T next() {
            if (next >= size) {
                throw new NoSuchElementException();
            }
            last = next++;
            return at(last);
        }

        abstract T at(int i);

        @Override
        public void remove() {
            if (last < 0) {
                throw new IllegalStateException("next() first, and remove() once per next()");
            }
            removeAt(last);
            next = last;
            last = -1;
        }
    }

    private final class Entries extends AbstractSet<Map.Entry<String, Long>> {
        @Override
        public int size() {
            return size;
        }

        @Override
        public Iterator<Map.Entry<String, Long>> iterator() {
            return new Cursor<>() {
                @Override
                Map.Entry<String, Long> at(int i) {
                    return new Entry(i);
                }
            };
        }
    }

    private final class Values extends AbstractCollection<Long> {
        @Override
        public int size() {
            return size;
        }

        @Override
        public Iterator<Long> iterator() {
            return new Cursor<>() {
                @Override
                Long at(int i) {
                    return values[i];
                }
            };
        }
    }

    /** An entry that reads and writes through to the map, as a HashMap's entries do. */
    private final class Entry implements Map.Entry<String, Long> {
        private final String key;
        /** Where the entry was; found again by key if entries before it were removed since. */
        private int index;

        Entry(int index) {
            this.key = keys[index];
            this.index = index;
        }

        private int index() {
            if (index >= size || keys[index] != key) {
                index = indexOf(key);
            }
            return index;
        }

        @Override
        public String getKey() {
            return key;
        }

        @Override
        public Long getValue() {
            int i = index();
            return i < 0 ? null : values[i];
        }

        @Override
        public Long setValue(Long value) {
            if (value == null) {
                throw new NullPointerException("NameLongMap takes no null values");
            }
            int i = index();
            if (i < 0) {
                throw new IllegalStateException("entry " + key + " was removed");
            }
            long old = values[i];
            values[i] = value;
            return old;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Map.Entry<?, ?> e && key.equals(e.getKey()) && java.util.Objects.equals(getValue(), e.getValue());
        }

        @Override
        public int hashCode() {
            return key.hashCode() ^ java.util.Objects.hashCode(getValue());
        }

        @Override
        public String toString() {
            return key + "=" + getValue();
        }
    }
}
