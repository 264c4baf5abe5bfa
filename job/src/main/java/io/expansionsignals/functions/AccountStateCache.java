package io.expansionsignals.functions;

import io.expansionsignals.domain.AccountState;
import io.expansionsignals.functions.AccountTable.Entry;
import io.expansionsignals.state.AccountStateSerializer;
import io.expansionsignals.state.EncodedAccount;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Deserialised accounts kept between their events (in an {@link AccountTable}), in front of a
 * state backend that copies on every access (RocksDB): a busy account is read once and, when a
 * {@link KeyContext} is attached, written back once per checkpoint instead of once per event.
 * This is what Flink SQL's mini-batch operators do: state between two checkpoints is not durable
 * anyway, so buffering it loses nothing, provided every change is in the backend before the
 * barrier ({@link #flush}) and before an account leaves the cache.
 *
 * <p>Without a key context (the plain Flink operator, as in some tests) it is write-through: a
 * cache for reads only. With capacity 0 it is a pass-through.
 */
final class AccountStateCache {
    /** Lets the cache write an account other than the one being processed. */
    interface KeyContext {
        void setCurrentKey(String key);

        String getCurrentKey();

        /**
         * Whether the backend encodes each state on write and keeps it sorted by key group and key
         * (RocksDB). If not (heap: it keeps the objects), the flush writes the accounts as they are,
         * in the order they changed.
         */
        default boolean sortsByKeyGroup() {
            return false;
        }

        /** The key group the backend files {@code key} under; asked only if it {@link #sortsByKeyGroup}. */
        default int keyGroupOf(String key) {
            return 0;
        }
    }

    /**
     * Heap one cached account takes, rounded up from what the benchmark's workload measures (an
     * engine-made account 1.6–2.2 KB, docs/performance.md, "Tuning advice"; its cache entry and
     * table slot ~0.1 KB), plus what a flush on RocksDB keeps for it when it changed (its encoding,
     * ~500 B, and its key's place in the order): what a full cache costs.
     */
    static final long BYTES_PER_ACCOUNT = 3_000;

    private final ValueState<AccountState> backend;
    /** The backend's serializer: a flush in key order encodes with it first (see {@link #flushInKeyOrder}). */
    private final AccountStateSerializer serializer;
    private final int capacity;
    private final AccountTable entries;
    /**
     * Entries changed since the last flush, in the order of their first change; an entry evicted
     * or cleared since is no longer dirty and skipped. The flush walks these instead of the whole
     * cache: at 1 M accounts half the cached entries are clean, and reaching each was a cache miss.
     */
    private final ArrayList<Entry> changed = new ArrayList<>();
    /** The entry the last read found: the write that follows it for the same account skips the look-up. */
    private Entry lastRead;
    private KeyContext keys;
    /** Whether the backend orders its keys by key group (RocksDB): the flush then writes in that order. */
    private boolean keyOrdered;
    /** A flush's encoded accounts, one after the other; kept between flushes at the size of the largest. */
    private final DataOutputSerializer encoded = new DataOutputSerializer(1 << 16);
    private final EncodedAccount holder = new EncodedAccount();
    /** A flush's changed entries in the order they were encoded, and where each one's bytes end. */
    private Entry[] batch = new Entry[0];
    private int[] encodedEnds = new int[0];
    private final FlushOrder order = new FlushOrder();
    private int dirty;
    /** Accounts that may have state in the backend, or null: a miss on any other account skips the backend. */
    private KnownAccounts known;
    private long hits;
    private long misses;
    private long skipped;
    private long writtenBack;

    AccountStateCache(ValueState<AccountState> backend, AccountStateSerializer serializer, int capacity) {
        this.backend = backend;
        this.serializer = serializer;
        this.capacity = capacity;
        this.entries = new AccountTable(capacity);
    }

    /** Whether this caches at all; with capacity 0 (the heap backend) it passes every read and write through. */
    boolean caches() {
        return capacity > 0;
    }

    /** Accounts it holds at most (0: it passes every read and write through). */
    int capacity() {
        return capacity;
    }

    /**
     * From now on a miss on an account {@code known} does not hold returns null without reading the
     * backend, and every account written is added to it. Before the first read: {@code known} must
     * hold every account the backend does.
     */
    void filterBy(KnownAccounts known) {
        this.known = known;
    }

    /** False only for an account that never had state in the backend (with no {@link #filterBy filter}: never). */
    boolean mayHold(String key) {
        return known == null || known.mayHold(key);
    }

    /** From now on writes are buffered until {@link #flush} or eviction. */
    void attach(KeyContext keyContext) {
        this.keys = keyContext;
        this.keyOrdered = keyContext.sortsByKeyGroup();
    }

    /** The current key's account, or null. */
    AccountState read(String key) throws IOException {
        if (capacity > 0) { // else no cache: neither a hit nor a miss
            Entry e = entries.get(key);
            lastRead = e;
            if (e != null) {
                hits++;
                return e.state;
            }
        }
        if (!mayHold(key)) {
            skipped++;
            return null;
        }
        if (capacity > 0) {
            misses++;
        }
        return backend.value();
    }

    void write(String key, AccountState state) throws IOException {
        if (capacity == 0) {
            if (known != null) {
                known.add(key);
            }
            backend.update(state);
            return;
        }
        boolean buffered = keys != null;
        if (!buffered) {
            backend.update(state);
        }
        Entry e = lastRead != null && lastRead.key.equals(key) ? lastRead : entries.get(key);
        if (e == null) {
            if (known != null) {
                known.add(key); // before the backend can hold it: at the latest when this entry is written back
            }
            e = entries.add(key);
            if (keyOrdered) {
                e.keyGroup = keys.keyGroupOf(key); // now, while the key is in the CPU's caches
            }
        }
        lastRead = null;
        e.state = state;
        if (buffered && !e.dirty) {
            e.dirty = true;
            dirty++;
            changed.add(e);
            if (changed.size() > 2 * capacity + 1_024) {
                // evicted entries pile up without barriers (checkpointing off): at most `capacity` are dirty
                changed.removeIf(c -> !c.dirty);
            }
        }
        if (entries.size() > capacity) {
            evictOne(e);
        }
    }

    void clear(String key) {
        lastRead = null;
        Entry e = capacity == 0 ? null : entries.remove(key);
        if (e != null && e.dirty) {
            e.dirty = false;
            e.state = null; // held by the changed list until the flush
            dirty--;
        }
        backend.clear();
    }

    /** Writes every buffered change to the backend: before each checkpoint barrier. Returns how many accounts it wrote. */
    int flush() throws IOException {
        if (dirty == 0) {
            return 0;
        }
        int written = dirty;
        String current = keys.getCurrentKey();
        if (keyOrdered) {
            flushInKeyOrder();
        } else {
            for (Entry e : changed) {
                if (e.dirty) {
                    writeBack(e);
                }
            }
        }
        changed.clear();
        dirty = 0;
        if (current != null) {
            keys.setCurrentKey(current);
        }
        return written;
    }

    int size() {
        return entries.size();
    }

    /** Reads served from the cache since start. */
    long hits() {
        return hits;
    }

    /** Reads of accounts that never had state here, answered without the backend since start. */
    long skipped() {
        return skipped;
    }

    /** Reads that went to the backend since start (not those {@link #skipped}). */
    long misses() {
        return misses;
    }

    /** Buffered accounts written to the backend (at barriers or on eviction) since start. */
    long writtenBack() {
        return writtenBack;
    }

    /** Whether flushes encode first and write in the backend's key order. */
    boolean keyOrdered() {
        return keyOrdered;
    }

    int dirtyCount() {
        return dirty;
    }

    /** Entries the next flush walks, dirty or since evicted: bounded even when no flush comes. */
    int changedEntries() {
        return changed.size();
    }

    /** Makes room: writes back and drops the account the clock picks, never {@code keep}, the one just written. */
    private void evictOne(Entry keep) throws IOException {
        Entry victim = entries.evict(keep);
        if (victim.dirty) {
            dirty--;
            String current = keys.getCurrentKey();
            writeBack(victim); // no longer dirty, so the flush skips it
            keys.setCurrentKey(current);
        }
        victim.state = null; // the changed list may hold the entry until the flush
    }

    /**
     * The flush for a backend that encodes on write and keeps its keys sorted (RocksDB), in two
     * passes. First every changed account is encoded, in the order the accounts changed: that is
     * close to the order their objects lie in the heap, and the encoding is mostly waiting on memory.
     * Then the bytes are written in the backend's key order: a RocksDB memtable insert next to the
     * previous one is cheaper than one at a random place, and so is the memtable's flush at the
     * checkpoint that follows (candidate 14 and change 38 in docs/performance-history.md).
     */
    private void flushInKeyOrder() throws IOException {
        if (batch.length < dirty) {
            batch = new Entry[Math.max(dirty, 2 * batch.length)];
            encodedEnds = new int[batch.length];
        }
        int n = 0;
        encoded.clear();
        order.clear();
        for (Entry e : changed) {
            if (e.dirty) {
                serializer.serialize(e.state, encoded);
                order.add(e.keyGroup, e.key);
                encodedEnds[n] = encoded.length();
                batch[n++] = e;
            }
        }
        int[] sorted = order.sorted();
        byte[] bytes = encoded.getSharedBuffer();
        for (int i = 0; i < n; i++) {
            int k = sorted[i];
            Entry e = batch[k];
            int from = k == 0 ? 0 : encodedEnds[k - 1]; // each encoding starts where the one before it ended
            keys.setCurrentKey(e.key);
            backend.update(holder.set(serializer, e.state, bytes, from, encodedEnds[k] - from));
            e.dirty = false;
            writtenBack++;
        }
        Arrays.fill(batch, 0, n, null);
        holder.clear();
    }

    /** Writes a changed entry to the backend under its own key, which it leaves current: callers restore theirs. */
    private void writeBack(Entry e) throws IOException {
        keys.setCurrentKey(e.key);
        backend.update(e.state);
        e.dirty = false;
        writtenBack++;
    }
}
