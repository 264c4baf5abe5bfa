package io.expansionsignals.state;

import io.expansionsignals.domain.AccountState;

/**
 * An account already encoded by an {@link AccountStateSerializer}: handed to a state backend that
 * encodes on write (RocksDB), it is written as those bytes. This lets the account cache encode a
 * flush's accounts in one order (the order they changed in, close to where their objects lie in the
 * heap) and write them in another (the backend's key order, in which each RocksDB memtable insert
 * lands next to the previous one).
 *
 * <p>Only for {@code ValueState.update} of such a backend, which copies the bytes at once: a backend
 * that keeps objects (heap) must never be given one. Its own account fields are empty; it is one
 * reusable holder, {@link #set} before each write.
 */
public final class EncodedAccount extends AccountState {
    AccountStateSerializer format;
    AccountState account;
    byte[] bytes;
    int offset;
    int length;

    /**
     * Points this holder at {@code account}'s encoding by {@code format}: {@code length} bytes of
     * {@code bytes} from {@code offset}. A serializer in another format encodes {@code account} itself.
     */
    public EncodedAccount set(AccountStateSerializer format, AccountState account, byte[] bytes, int offset, int length) {
        this.format = format;
        this.account = account;
        this.bytes = bytes;
        this.offset = offset;
        this.length = length;
        return this;
    }

    /** Drops the references, so the holder does not keep the last account or the bytes alive. */
    public void clear() {
        set(null, null, null, 0, 0);
    }
}
