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
 * <p>Bounded: past {@code capacity} accounts the one updated longest ago is handed back to be
 * written at once. Per account the order stays that of the snapshots: one is written before any
 * later one of the same account. Capacity 0 holds nothing.
 */
final class PendingSnapshots {
    private final int capacity;
    private final LinkedHashMap<String, AccountHealth> byAccount;
    private long superseded;

    PendingSnapshots(int capacity) {
        this.capacity = capacity;
        this.byAccount = new LinkedHashMap<>(Math.min(capacity, 1 << 16) + 1, 0.75f, true); // least recently updated first
    }

    /**
     * Holds {@code snapshot} in place of its account's pending one. Returns what must be written now:
     * the snapshot that made room, {@code snapshot} itself when nothing is held, or null.
     */
    AccountHealth offer(AccountHealth snapshot) {
        if (capacity == 0) {
            return snapshot;
        }
        if (byAccount.put(snapshot.getAccountId(), snapshot) != null) {
            superseded++;
        }
        if (byAccount.size() <= capacity) {
            return null;
        }
        Iterator<Map.Entry<String, AccountHealth>> eldest = byAccount.entrySet().iterator();
        AccountHealth due = eldest.next().getValue();
        eldest.remove();
        return due;
    }

    /** Hands every held snapshot to {@code out}, least recently updated first, and holds none after. */
    int drain(Consumer<AccountHealth> out) {
        int n = byAccount.size();
        for (AccountHealth s : byAccount.values()) {
            out.accept(s);
        }
        byAccount.clear();
        return n;
    }

    int size() {
        return byAccount.size();
    }

    /** Snapshots replaced by a newer one of the same account before they were written, since start. */
    long superseded() {
        return superseded;
    }
}
