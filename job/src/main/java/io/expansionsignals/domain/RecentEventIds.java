package io.expansionsignals.domain;

/**
 * De-duplication memory of one account, kept inside its {@link AccountState} so that checking a
 * record costs no state access beyond the one the engine makes anyway: the 64-bit hashes of the
 * eventIds applied recently, with their event times, in arrival order.
 *
 * <p>An id is remembered while its event time is within the window of the account's newest event
 * time (event time, so a replay de-duplicates exactly as the first run did), and at most
 * {@code maxIds} ids are kept: past that the oldest-arrived is forgotten first. Producer retries
 * resend the same record within seconds, far inside both bounds.
 *
 * <p>Hashes, not the ids themselves: 8 bytes instead of ~40 per id. Two different ids collide with
 * probability about n²/2⁶⁵ for n ids remembered (≈ 3·10⁻¹⁴ at 1,000), small enough to accept.
 */
public final class RecentEventIds {
    private RecentEventIds() {}

    public static boolean contains(AccountState a, String eventId) {
        return containsHash(a, hash(eventId));
    }

    /** {@link #contains} for an id already hashed with {@link #hash}: the operator hashes each id once. */
    public static boolean containsHash(AccountState a, long h) {
        long[] hashes = a.seenIdHashes;
        for (int i = 0; i < a.seenIdCount; i++) {
            if (hashes[i] == h) {
                return true;
            }
        }
        return false;
    }

    /**
     * Remembers an applied eventId and forgets those that fell out of the window.
     *
     * @param windowMillis how far behind the account's newest event time an id is kept
     * @param maxIds the most ids kept per account
     */
    public static void remember(AccountState a, String eventId, long eventTime, long windowMillis, int maxIds) {
        rememberHash(a, hash(eventId), eventTime, windowMillis, maxIds);
    }

    /** {@link #remember} for an id already hashed with {@link #hash}. */
    public static void rememberHash(AccountState a, long idHash, long eventTime, long windowMillis, int maxIds) {
        long horizon = Math.max(a.lastEventAt, eventTime) - windowMillis;
        boolean oldestExpired = a.seenIdCount > 0 && a.seenIdTimes[0] < horizon;
        if (oldestExpired || a.seenIdCount == a.seenIdHashes.length || a.seenIdCount >= maxIds) {
            forgetBefore(a, horizon);
        }
        if (a.seenIdCount >= maxIds) {
            drop(a, a.seenIdCount - maxIds + 1); // still full inside the window: the oldest-arrived go
        }
        if (a.seenIdCount == a.seenIdHashes.length) {
            int capacity = Math.min(Math.max(4, a.seenIdCount * 2), Math.max(maxIds, 4));
            a.seenIdHashes = java.util.Arrays.copyOf(a.seenIdHashes, capacity);
            a.seenIdTimes = java.util.Arrays.copyOf(a.seenIdTimes, capacity);
        }
        a.seenIdHashes[a.seenIdCount] = idHash;
        a.seenIdTimes[a.seenIdCount] = eventTime;
        a.seenIdCount++;
    }

    /** Ids remembered now. */
    public static int size(AccountState a) {
        return a.seenIdCount;
    }

    private static void forgetBefore(AccountState a, long horizon) {
        int kept = 0;
        for (int i = 0; i < a.seenIdCount; i++) {
            if (a.seenIdTimes[i] >= horizon) {
                a.seenIdHashes[kept] = a.seenIdHashes[i];
                a.seenIdTimes[kept] = a.seenIdTimes[i];
                kept++;
            }
        }
        a.seenIdCount = kept;
        if (kept < a.seenIdHashes.length / 4 && a.seenIdHashes.length > 8) {
            int capacity = Math.max(8, kept * 2); // shrink: the arrays are written to every checkpoint
            a.seenIdHashes = java.util.Arrays.copyOf(a.seenIdHashes, capacity);
            a.seenIdTimes = java.util.Arrays.copyOf(a.seenIdTimes, capacity);
        }
    }

    private static void drop(AccountState a, int n) {
        System.arraycopy(a.seenIdHashes, n, a.seenIdHashes, 0, a.seenIdCount - n);
        System.arraycopy(a.seenIdTimes, n, a.seenIdTimes, 0, a.seenIdCount - n);
        a.seenIdCount -= n;
    }

    /** FNV-1a over the UTF-16 chars, then the SplitMix64 finaliser to spread the bits. */
    public static long hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }
}
