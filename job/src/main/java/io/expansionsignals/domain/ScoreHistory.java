package io.expansionsignals.domain;

/**
 * The last health score of each of an account's most recent 32 UTC days, for the trend and the
 * score-drop rule: a ring of 32 slots (slot = day mod 32) of scores in tenths of a point, -1 for
 * a day without one. 64 bytes of state instead of a map of boxed day/score pairs, and no map
 * walk on every event.
 */
public final class ScoreHistory {
    static final int DAYS = 32;
    private static final long DAY = UsagePeriod.DAY_MILLIS;
    private static final short NONE = -1;

    private ScoreHistory() {}

    /** Records the score as today's; a late event (an earlier day than the newest) does not rewrite history. */
    public static void remember(AccountState a, double score, long now) {
        long today = Math.floorDiv(now, DAY);
        short[] ring = a.dailyScoreTenths;
        if (ring.length == 0) {
            ring = new short[DAYS];
            java.util.Arrays.fill(ring, NONE);
            a.dailyScoreTenths = ring;
        } else if (today < a.dailyScoresNewestDay) {
            return;
        } else {
            // days between the newest kept and today had no score; their slots held days now out of range
            long clearFrom = Math.max(a.dailyScoresNewestDay + 1, today - DAYS + 1);
            for (long d = clearFrom; d < today; d++) {
                ring[slot(d)] = NONE;
            }
        }
        ring[slot(today)] = (short) Math.round(score * 10);
        a.dailyScoresNewestDay = today;
    }

    /** Highest score of the last 30 days (today included), or null. */
    public static Double recentHigh(AccountState a, long now) {
        return recentHigh(a, now, Long.MIN_VALUE);
    }

    /**
     * Highest score of the last 30 days (today included) that are wholly at or after {@code since},
     * or null: a day's score is its last, so the day {@code since} falls in may hold one from before.
     */
    public static Double recentHigh(AccountState a, long now, long since) {
        if (a.dailyScoreTenths.length == 0) {
            return null;
        }
        long today = Math.floorDiv(now, DAY);
        long from = since == Long.MIN_VALUE ? Long.MIN_VALUE : -Math.floorDiv(-since, DAY); // the first day wholly after
        int high = NONE;
        for (long d = Math.max(from, firstDay(a, today)); d <= a.dailyScoresNewestDay; d++) {
            high = Math.max(high, a.dailyScoreTenths[slot(d)]);
        }
        return high == NONE ? null : high / 10.0;
    }

    /** Score of the oldest day in the 30 days before today, or null: the baseline of the trend. */
    public static Double baseline(AccountState a, long now) {
        if (a.dailyScoreTenths.length == 0) {
            return null;
        }
        long today = Math.floorDiv(now, DAY);
        long last = Math.min(today - 1, a.dailyScoresNewestDay);
        for (long d = firstDay(a, today); d <= last; d++) {
            short s = a.dailyScoreTenths[slot(d)];
            if (s != NONE) {
                return s / 10.0;
            }
        }
        return null;
    }

    /** Days with a score. */
    public static int size(AccountState a) {
        int n = 0;
        for (short s : a.dailyScoreTenths) {
            n += s == NONE ? 0 : 1;
        }
        return n;
    }

    private static long firstDay(AccountState a, long today) {
        return Math.max(today - 30, a.dailyScoresNewestDay - DAYS + 1);
    }

    private static int slot(long day) {
        return (int) Math.floorMod(day, (long) DAYS);
    }
}
