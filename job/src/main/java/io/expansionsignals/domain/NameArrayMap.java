package io.expansionsignals.domain;

import java.util.AbstractCollection;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * A small map keyed by names, as arrays in insertion order: the keys here, the values in the
 * subclass's own array ({@code long[]} in {@link NameLongMap}, objects in {@link NameMap}). A
 * {@code HashMap} of n entries is a table and n nodes besides the map; this is the map and two
 * arrays, however many entries. Why it matters: every changed account is encoded at the checkpoint
 * barrier, long after its objects left the CPU's caches, and that walk is mostly waiting on
 * memory, one wait per object reached (docs/performance-history.md, changes 41 and 43).
 *
 * <p>Look-ups scan the keys, comparing references first: names are kept as {@link SharedNames},
 * so the key asked for is usually the very instance stored. The account state's maps hold a
 * handful of entries (a few metrics and levels, the features used in 60 days, one entry per
 * signal type or subscription), where a scan of a few references costs no more than hashing the
 * key; a map of hundreds of names would still work, only slower per look-up.
 *
 * <p>Not thread-safe, no fail-fast iteration; null keys and values are refused.
 */
abstract class NameArrayMap<V> extends AbstractMap<String, V> {
    private static final String[] NO_KEYS = new String[0];

    private String[] keys;
    private int size;

    NameArrayMap(int capacity) {
        keys = capacity == 0 ? NO_KEYS : new String[capacity];
    }

    /** The value of entry {@code i}, boxed where the subclass keeps primitives. */
    abstract V value(int i);

    abstract void setValue(int i, V value);

    /** Grows the values to {@code capacity}, keeping the first {@link #size()}. */
    abstract void growValues(int capacity);

    /** Moves the values of {@code [from + 1, size)} one down, over the one at {@code from}, and drops the last. */
    abstract void removeValue(int from, int size);

    /** Drops the first {@code size} values: where the subclass holds objects, its references to them. */
    abstract void clearValues(int size);

    @Override
    public final int size() {
        return size;
    }

    @Override
    public final boolean isEmpty() {
        return size == 0;
    }

    /** The key of entry {@code i}, 0 ≤ i < {@link #size()}, in insertion order: for encoders. */
    public final String keyAt(int i) {
        return keys[i];
    }

    final int indexOf(Object key) {
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
    public final boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public final V get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : value(i);
    }

    @Override
    public final V getOrDefault(Object key, V absent) {
        int i = indexOf(key);
        return i < 0 ? absent : value(i);
    }

    @Override
    public final V put(String key, V value) {
        if (key == null || value == null) {
            throw new NullPointerException(getClass().getSimpleName() + " takes neither null keys nor null values");
        }
        int i = indexOf(key);
        if (i >= 0) {
            V old = value(i);
            setValue(i, value);
            return old;
        }
        if (size == keys.length) {
            int capacity = Math.max(4, 2 * size);
            keys = Arrays.copyOf(keys, capacity);
            growValues(capacity);
        }
        keys[size] = key;
        setValue(size, value);
        size++;
        return null;
    }

    @Override
    public final V remove(Object key) {
        int i = indexOf(key);
        if (i < 0) {
            return null;
        }
        V old = value(i);
        removeAt(i);
        return old;
    }

    private void removeAt(int i) {
        System.arraycopy(keys, i + 1, keys, i, size - i - 1);
        removeValue(i, size);
        keys[--size] = null;
    }

    @Override
    public final void clear() {
        clearValues(size);
        Arrays.fill(keys, 0, size, null);
        size = 0;
    }

    @Override
    public final Set<Map.Entry<String, V>> entrySet() {
        return new Entries(); // a view is two fields; not kept, so an account's maps stay as small as they can
    }

    /** The values in entry order; iterating them neither makes entries nor scans for keys. */
    @Override
    public final Collection<V> values() {
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

    private final class Entries extends AbstractSet<Map.Entry<String, V>> {
        @Override
        public int size() {
            return size;
        }

        @Override
        public Iterator<Map.Entry<String, V>> iterator() {
            return new Cursor<>() {
                @Override
                Map.Entry<String, V> at(int i) {
                    return new Entry(i);
                }
            };
        }
    }

    private final class Values extends AbstractCollection<V> {
        @Override
        public int size() {
            return size;
        }

        @Override
        public Iterator<V> iterator() {
            return new Cursor<>() {
                @Override
                V at(int i) {
                    return value(i);
                }
            };
        }
    }

    /** An entry that reads and writes through to the map, as a HashMap's entries do. */
    private final class Entry implements Map.Entry<String, V> {
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
        public V getValue() {
            int i = index();
            return i < 0 ? null : value(i);
        }

        @Override
        public V setValue(V value) {
            if (value == null) {
                throw new NullPointerException(NameArrayMap.this.getClass().getSimpleName() + " takes no null values");
            }
            int i = index();
            if (i < 0) {
                throw new IllegalStateException("entry " + key + " was removed");
            }
            V old = value(i);
            NameArrayMap.this.setValue(i, value);
            return old;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Map.Entry<?, ?> e && key.equals(e.getKey()) && Objects.equals(getValue(), e.getValue());
        }

        @Override
        public int hashCode() {
            return key.hashCode() ^ Objects.hashCode(getValue());
        }

        @Override
        public String toString() {
            return key + "=" + getValue();
        }
    }
}
