package io.expansionsignals.domain;

import io.expansionsignals.schema.MovementType;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * MRR movements of one segment (or all of them) in one period, summed: what the portfolio metrics
 * add to that period's {@link PeriodTotals}. The job sums the movements between two watermarks
 * into one of these per segment and period instead of sending each movement on, so the portfolio
 * task reads and writes its state a few times per watermark rather than twice per movement.
 * A Flink POJO.
 */
public class PeriodDelta {
    /** The segment's name, or the key that stands for all segments. */
    public String segment;
    public long periodStart;
    /** The movement flows (new, expansion, contraction, churn, reactivation; accounts gained and lost); nothing else is set. */
    public PeriodTotals flows = new PeriodTotals();
    /** Movements summed here: each counts as one late movement if its period has closed. */
    public long movements;
    /** Accounts with an expansion here, each once: a period counts the distinct accounts that expanded. */
    public String[] expandedAccounts = new String[0];
    /** Newest event time among the movements: the timestamp the sum travels with. */
    public long newestAt = Long.MIN_VALUE;

    /** The expanded accounts while movements are added; {@link #seal} moves them to {@link #expandedAccounts}. */
    private transient Set<String> expanding;

    public PeriodDelta() {}

    public static PeriodDelta of(String segment, long periodStart) {
        PeriodDelta d = new PeriodDelta();
        d.segment = segment;
        d.periodStart = periodStart;
        return d;
    }

    /** Adds one movement of {@code accountId} at {@code at}. */
    public PeriodDelta add(MovementType type, long delta, String accountId, long at) {
        flows.add(type, delta);
        movements++;
        newestAt = Math.max(newestAt, at);
        if (type == MovementType.EXPANSION) {
            if (expanding == null) {
                expanding = new LinkedHashSet<>();
            }
            expanding.add(accountId);
        }
        return this;
    }

    /** Fixes the expanded accounts added so far in {@link #expandedAccounts}: before the sum is sent on. */
    public PeriodDelta seal() {
        if (expanding != null) {
            expandedAccounts = expanding.toArray(String[]::new);
            expanding = null;
        }
        return this;
    }
}
