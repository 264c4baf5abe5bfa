package io.expansionsignals.functions;

import io.expansionsignals.schema.AccountHealth;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The newest account-health snapshot of each account, held until the next checkpoint barrier.
 * Exactly-once outputs become visible to {@code read_committed} readers only when the checkpoint
 * completes, all of a checkpoint's records at once, and {@code account-health} is compacted to the
 * latest snapshot per account: a snapshot superseded within the same checkpoint would reach readers
 * together with the one replacing it, so writing only the newest loses nothing a reader can act on
 * and saves its encoding, its producer and broker work and its share of the transaction.
 *
 * <p>Bounded in count and in time: past {@code capacity} accounts, the one updated longest ago is
 * handed back to be written at once; {@link #drainUpdatedUpTo} writes those whose account has been
 * quiet for a while, so the barrier is left with the recent ones only. Per account the order stays
 * that of the snapshots: one is written before any later one of the same account. Capacity 0 holds
 * nothing. Public for the benchmark, which replays the workload through it ({@code DomainLoop}).
 */
public final class PendingSnapshots {
    private static final class Held {
        AccountHealth snapshot;
        long since;
    }

    private final int capacity;
    private final LinkedHashMap<String, Held> byAccount;
    private long superseded;

    public PendingSnapshots(int capacity) {
        this.capacity = capacity;
        this.byAccount = new LinkedHashMap<>(Math.min(capacity, 1 << 16) + 1, 0.75f, true); // least recently updated first
    }

    /**
     * Holds {@code snapshot}, made at processing time {@code now}, in place of its account's pending
     * one. Returns what must be written now: the snapshot that made room, {@code snapshot} itself
     * when nothing is held, or null.
     */
    public AccountHealth offer(AccountHealth snapshot, long now) {
        if (capacity == 0) {
            return snapshot;
        }
        Held held = byAccount.get(snapshot.getAccountId()); // moves it to the most recently updated end
        if (held != null) {
            superseded++;
        } else {
            held = new Held();
            byAccount.put(snapshot.getAccountId(), held);
        }
        held.snapshot = snapshot;
        held.since = now;
        if (byAccount.size() <= capacity) {
            return null;
        }
        Iterator<Map.Entry<String, Held>> eldest = byAccount.entrySet().iterator();
        AccountHealth due = eldest.next().getValue().snapshot;
        eldest.remove();
        return due;
    }

    /** Hands every held snapshot to {@code out}, least recently updated first, and holds none after. */
    public int drain(Consumer<AccountHealth> out) {
        return drainUpdatedUpTo(Long.MAX_VALUE, out);
    }

    /** Hands to {@code out} the snapshots of accounts last updated at or before {@code cutoff}, oldest first. */
    public int drainUpdatedUpTo(long cutoff, Consumer<AccountHealth> out) {
        int n = 0;
        Iterator<Held> it = byAccount.values().iterator();
        while (it.hasNext()) {
            Held h = it.next();
            if (h.since > cutoff) {
                break; // the rest were updated later still
            }
            out.accept(h.snapshot);
            it.remove();
            n++;
        }
        return n;
    }

    public int size() {
        return byAccount.size();
    }

    /** Snapshots replaced by a newer one of the same account before they were written, since start. */
    long superseded() {
        return superseded;
    }
}
