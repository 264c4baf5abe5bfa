package io.expansionsignals.functions;

import io.expansionsignals.domain.AccountState;
import io.expansionsignals.state.AccountStateSerializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Encodes the accounts a flush is about to write back on helper threads as well as the task's
 * own, so the barrier waits for a share of the encoding, not all of it. Encoding a changed account
 * at the barrier is mostly waiting on memory (its maps were last touched up to an interval ago),
 * and that wait runs in parallel. Each account's bytes ride on it ({@link AccountState#encodedAhead})
 * until the write-back hands them to the state backend ({@link AccountStateSerializer} writes them
 * as they are) and the flush clears them.
 *
 * <p>Nothing else may touch the accounts between {@link #start} and {@link Batch#finish}: the
 * task thread only writes held health snapshots in that time (docs/performance.md, change 36).
 */
final class FlushEncoder implements AutoCloseable {
    /** Accounts claimed at a time: enough that the counter is not contended, few enough to share the tail. */
    private static final int CHUNK = 64;

    private final ExecutorService helpers;
    private final int helperCount;
    private final int minAccounts;

    /**
     * @param helperCount threads besides the caller's
     * @param minAccounts a flush of fewer accounts is left to the write-back (see {@link #worthIt})
     */
    FlushEncoder(int helperCount, int minAccounts, String name) {
        if (helperCount < 1) {
            throw new IllegalArgumentException("helper threads: " + helperCount);
        }
        this.helperCount = helperCount;
        this.minAccounts = minAccounts;
        AtomicInteger n = new AtomicInteger();
        this.helpers = Executors.newFixedThreadPool(helperCount, r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Whether a flush of this many accounts is worth handing out: below it the write-back encodes them itself. */
    boolean worthIt(int accounts) {
        return accounts >= minAccounts;
    }

    /** Starts encoding {@code accounts} on the helpers; the caller joins in with {@link Batch#finish}. */
    Batch start(List<AccountState> accounts) {
        Batch batch = new Batch(accounts);
        for (int i = 0; i < helperCount; i++) {
            batch.running.add(helpers.submit(() -> {
                batch.encode(new AccountStateSerializer());
                return null;
            }));
        }
        return batch;
    }

    @Override
    public void close() {
        helpers.shutdownNow();
    }

    /** One flush's accounts, claimed in chunks by whichever thread is free. */
    static final class Batch {
        private final List<AccountState> accounts;
        private final AtomicInteger next = new AtomicInteger();
        private final List<Future<?>> running = new ArrayList<>();

        private Batch(List<AccountState> accounts) {
            this.accounts = accounts;
        }

        /**
         * Encodes what the helpers have not claimed yet and waits for all of theirs, even when a
         * share failed, so no helper sets bytes after {@link #clear}: every account then carries its bytes.
         */
        void finish(AccountStateSerializer own) throws IOException {
            IOException failure = null;
            try {
                encode(own);
            } catch (IOException | RuntimeException e) {
                failure = new IOException("encoding accounts for the flush failed", e);
                next.set(accounts.size()); // the helpers stop claiming
            }
            for (Future<?> f : running) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = new IOException("encoding accounts for the flush failed", e.getCause());
                    }
                } catch (InterruptedException e) {
                    // the task is being cancelled: its accounts are discarded, not written anywhere
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while accounts were encoded for the flush", e);
                }
            }
            if (failure != null) {
                throw failure;
            }
        }

        /** Drops every account's bytes: after the write-back, or when it failed. */
        void clear() {
            for (AccountState a : accounts) {
                a.encodedAhead = null;
            }
        }

        private void encode(AccountStateSerializer serializer) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(1024);
            int size = accounts.size();
            for (int from; (from = next.getAndAdd(CHUNK)) < size; ) {
                for (int i = from, to = Math.min(size, from + CHUNK); i < to; i++) {
                    AccountState a = accounts.get(i);
                    out.clear();
                    serializer.serialize(a, out);
                    a.encodedAhead = out.getCopyOfBuffer();
                }
            }
        }
    }
}
