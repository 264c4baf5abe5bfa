package io.expansionsignals.workload;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What to simulate. Everything the generator does follows from these values, so two generators
 * built from equal specs (and clocks that allow the same steps) emit identical event sequences.
 *
 * @param seed seed of the one random source; the same seed yields the same population and events
 * @param accounts number of simulated accounts
 * @param start simulated time of the first step; accounts sign up during the first weeks after it
 * @param simulatedStep how much simulated time one {@link WorkloadGenerator#tick} covers
 * @param duplicateShare share of valid events the "producer" sends twice (same eventId)
 * @param outOfOrderShare share of events whose occurredAt is shifted back by up to a few hours
 * @param malformedShare share of extra records that are broken in one of the {@link MalformedKind} ways
 * @param signupWindow zero for the usual spread (two thirds of the accounts sign up in the first 30 days,
 *     the rest over 150); positive, every account signs up within this long after {@code start}: a cohort
 *     (a migration, a bulk import) whose renewals and tenure milestones fall due together
 */
public record WorkloadSpec(
        long seed,
        int accounts,
        Instant start,
        Duration simulatedStep,
        double duplicateShare,
        double outOfOrderShare,
        double malformedShare,
        Duration signupWindow) {

    public static final int DEFAULT_ACCOUNTS = 200;
    public static final long DEFAULT_SEED = 42L;
    public static final Duration DEFAULT_STEP = Duration.ofHours(6);
    /** Far enough back that renewals, tenure milestones and churn show up while catching up. */
    public static final Duration DEFAULT_HISTORY = Duration.ofDays(200);
    public static final double DEFAULT_DUPLICATE_SHARE = 0.01;
    public static final double DEFAULT_OUT_OF_ORDER_SHARE = 0.02;
    public static final double DEFAULT_MALFORMED_SHARE = 0.005;

    /** The usual sign-up spread ({@code signupWindow} zero). */
    public WorkloadSpec(long seed, int accounts, Instant start, Duration simulatedStep, double duplicateShare,
            double outOfOrderShare, double malformedShare) {
        this(seed, accounts, start, simulatedStep, duplicateShare, outOfOrderShare, malformedShare, Duration.ZERO);
    }

    public WorkloadSpec {
        if (accounts <= 0) {
            throw new IllegalArgumentException("accounts must be positive, was " + accounts);
        }
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(simulatedStep, "simulatedStep");
        if (simulatedStep.isNegative() || simulatedStep.isZero()) {
            throw new IllegalArgumentException("simulatedStep must be positive, was " + simulatedStep);
        }
        // A step longer than a week would blur weekly seasonality and monthly usage periods.
        if (simulatedStep.compareTo(Duration.ofDays(7)) > 0) {
            throw new IllegalArgumentException("simulatedStep must be at most 7 days, was " + simulatedStep);
        }
        Objects.requireNonNull(signupWindow, "signupWindow");
        if (signupWindow.isNegative()) {
            throw new IllegalArgumentException("signupWindow must not be negative, was " + signupWindow);
        }
        share("duplicateShare", duplicateShare);
        share("outOfOrderShare", outOfOrderShare);
        share("malformedShare", malformedShare);
    }

    /** Defaults: 200 accounts, seed 42, 6 h steps, starting 200 days before {@code now}. */
    public static WorkloadSpec defaults(Instant now) {
        return new WorkloadSpec(DEFAULT_SEED, DEFAULT_ACCOUNTS, now.minus(DEFAULT_HISTORY), DEFAULT_STEP,
                DEFAULT_DUPLICATE_SHARE, DEFAULT_OUT_OF_ORDER_SHARE, DEFAULT_MALFORMED_SHARE);
    }

    public WorkloadSpec withSeed(long v) {
        return new WorkloadSpec(v, accounts, start, simulatedStep, duplicateShare, outOfOrderShare, malformedShare, signupWindow);
    }

    public WorkloadSpec withAccounts(int v) {
        return new WorkloadSpec(seed, v, start, simulatedStep, duplicateShare, outOfOrderShare, malformedShare, signupWindow);
    }

    public WorkloadSpec withStart(Instant v) {
        return new WorkloadSpec(seed, accounts, v, simulatedStep, duplicateShare, outOfOrderShare, malformedShare, signupWindow);
    }

    public WorkloadSpec withSimulatedStep(Duration v) {
        return new WorkloadSpec(seed, accounts, start, v, duplicateShare, outOfOrderShare, malformedShare, signupWindow);
    }

    public WorkloadSpec withDuplicateShare(double v) {
        return new WorkloadSpec(seed, accounts, start, simulatedStep, v, outOfOrderShare, malformedShare, signupWindow);
    }

    public WorkloadSpec withOutOfOrderShare(double v) {
        return new WorkloadSpec(seed, accounts, start, simulatedStep, duplicateShare, v, malformedShare, signupWindow);
    }

    public WorkloadSpec withMalformedShare(double v) {
        return new WorkloadSpec(seed, accounts, start, simulatedStep, duplicateShare, outOfOrderShare, v, signupWindow);
    }

    public WorkloadSpec withSignupWindow(Duration v) {
        return new WorkloadSpec(seed, accounts, start, simulatedStep, duplicateShare, outOfOrderShare, malformedShare, v);
    }

    /** Whether every account signs up within {@link #signupWindow} of the start. */
    public boolean cohort() {
        return !signupWindow.isZero();
    }

    private static void share(String name, double v) {
        if (!(v >= 0 && v < 1)) {
            throw new IllegalArgumentException(name + " must be within [0, 1), was " + v);
        }
    }
}
