package io.expansionsignals.domain;

import io.expansionsignals.schema.MovementType;

/**
 * Portfolio revenue figures of one period (and segment), accumulated from MRR movements, with
 * the ratios of SPEC §1. Ratios whose denominator is zero are null ("undefined"), never 0 or
 * infinity: a period that starts with no MRR has no NRR. A Flink POJO.
 */
public class PeriodTotals {
    public long startMrr;
    public long newMrr;
    public long expansion;
    public long contraction;
    public long churn;
    public long reactivation;
    public long activeAtStart;
    public long expandedAccounts;
    /** Accounts that became paying (NEW, REACTIVATION) and stopped (CHURN): active at end = start + these. */
    public long accountsGained;
    public long accountsLost;
    public long lateMovements;
    public int revision;
    public boolean closed;

    public PeriodTotals() {}

    public static PeriodTotals of(long start, long newMrr, long expansion, long contraction, long churn, long reactivation) {
        PeriodTotals t = new PeriodTotals();
        t.startMrr = start;
        t.newMrr = newMrr;
        t.expansion = expansion;
        t.contraction = contraction;
        t.churn = churn;
        t.reactivation = reactivation;
        return t;
    }

    /** Adds one movement; amounts are positive in their bucket whatever the sign of the delta. */
    public void add(MovementType type, long delta) {
        long amount = Math.abs(delta);
        switch (type) {
            case NEW -> {
                newMrr += amount;
                accountsGained++;
            }
            case EXPANSION -> expansion += amount;
            case CONTRACTION -> contraction += amount;
            case CHURN -> {
                churn += amount;
                accountsLost++;
            }
            case REACTIVATION -> {
                reactivation += amount;
                accountsGained++;
            }
        }
    }

    /** Adds the movement flows of {@code other} (new, expansion, contraction, churn, reactivation, accounts gained and lost). */
    public void addFlows(PeriodTotals other) {
        newMrr += other.newMrr;
        expansion += other.expansion;
        contraction += other.contraction;
        churn += other.churn;
        reactivation += other.reactivation;
        accountsGained += other.accountsGained;
        accountsLost += other.accountsLost;
    }

    public long activeAtEnd() {
        return activeAtStart + accountsGained - accountsLost;
    }

    /** end = start + new + expansion + reactivation - contraction - churn. */
    public long endMrr() {
        return startMrr + newMrr + expansion + reactivation - contraction - churn;
    }

    /** NRR % = (start + expansion - contraction - churn) / start x 100. */
    public Double nrr() {
        return percent(startMrr + expansion - contraction - churn, startMrr);
    }

    /** GRR % = (start - contraction - churn) / start x 100. */
    public Double grr() {
        return percent(startMrr - contraction - churn, startMrr);
    }

    /** Expansion rate % = expansion / start x 100 (healthy: 5-10 % a month). */
    public Double expansionRate() {
        return percent(expansion, startMrr);
    }

    /** Net MRR churn % = (churn + contraction - expansion - reactivation) / start x 100. */
    public Double netMrrChurnRate() {
        return percent(churn + contraction - expansion - reactivation, startMrr);
    }

    /** Negative churn: expansion exceeds churn + contraction. */
    public boolean negativeChurn() {
        return expansion > churn + contraction;
    }

    /** Quick ratio = (new + expansion + reactivation) / (contraction + churn). */
    public Double quickRatio() {
        long losses = contraction + churn;
        return losses == 0 ? null : round2((double) (newMrr + expansion + reactivation) / losses);
    }

    /** Customer expansion rate % = accounts that expanded / accounts active at start x 100. */
    public Double customerExpansionRate() {
        return percent(expandedAccounts, activeAtStart);
    }

    private static Double percent(long numerator, long denominator) {
        return denominator == 0 ? null : round2(100.0 * numerator / denominator);
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
