package io.expansionsignals.domain;

/**
 * How many features an account used in the 30 days up to a time, for the feature-adoption
 * health component. Counting walks every feature's last use, a pointer chase per feature on every
 * event, so the count is kept in the state with the span of times it holds for: a feature last
 * used at t counts at time {@code now} while {@code now <= t + 30 days}, so the count stays the
 * same for every {@code now} above the latest such bound already passed and up to the earliest
 * one not yet passed. A feature use invalidates it ({@link #changed}).
 */
public final class FeatureAdoption {
    static final long WINDOW = 30 * UsagePeriod.DAY_MILLIS;

    private FeatureAdoption() {}

    public static int recentFeatures(AccountState a, long now) {
        if (now > a.adoptedFrom && now <= a.adoptedTo) {
            return a.adoptedFeatures;
        }
        int count = 0;
        long from = Long.MIN_VALUE;
        long to = Long.MAX_VALUE;
        for (long t : a.featureLastUsed.values()) {
            long bound = t + WINDOW;
            if (now <= bound) {
                count++;
                to = Math.min(to, bound);
            } else {
                from = Math.max(from, bound);
            }
        }
        a.adoptedFeatures = count;
        a.adoptedFrom = from;
        a.adoptedTo = to;
        return count;
    }

    /**
     * A feature's last use moved from {@code previous} (null: first use) to a later time. A feature
     * that already counted over the whole span the count holds for still counts over all of it, so
     * the count stands (its span may now reach further; the kept one ends no later, which only
     * means recounting sooner). Otherwise the next count is taken afresh.
     */
    public static void used(AccountState a, Long previous) {
        if (previous == null || previous + WINDOW < a.adoptedTo) {
            a.adoptedTo = Long.MIN_VALUE;
        }
    }
}
