package io.expansionsignals.domain;

/**
 * One empty array of each kind for the whole process. An array of length 0 cannot change, so every
 * state object may share it: a DELTA metric's gauge readings, a new account's event ids and score
 * ring. A fresh {@code new long[0]} is an object per field per decoded account, one more cache
 * miss when the account is encoded at the barrier, for nothing.
 */
public final class EmptyArrays {
    public static final long[] LONGS = new long[0];
    public static final short[] SHORTS = new short[0];

    private EmptyArrays() {}
}
