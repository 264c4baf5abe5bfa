package io.expansionsignals.domain;

import io.expansionsignals.schema.BillingInterval;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Every tunable of the account engine, with the defaults SPEC.md names. Immutable; {@link Builder}
 * makes variants. Validation happens here so a wrong setting fails at start-up, by name.
 */
public final class EngineSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    public final List<Double> defaultLevels;
    public final Map<String, List<Double>> segmentLevels;
    public final List<Double> seatLevels;
    public final double hysteresis;
    public final long cooldownMillis;
    public final int featureGateHits;
    public final long featureGateWindowMillis;
    public final long forecastHorizonMillis;
    public final long forecastMinElapsedMillis;
    public final double healthyFrom;
    public final double neutralFrom;
    public final double scoreDropPoints;
    /**
     * How long after an account's first subscription starts its score is still forming: no
     * BAND_DROP or SCORE_DROP before then, and no score from then counts as the high a drop is
     * measured from (see {@link AccountEngine}); 0 watches the score from the first event.
     */
    public final long onboardingMillis;
    public final int topReasons;
    public final int adoptionTarget;
    public final HealthWeights weights;
    public final UsagePeriod usagePeriod;
    public final UsagePeriod portfolioPeriod;
    public final long quietAccountExpiryMillis;
    /** The shortest billing interval whose renewals get a renewal preparation, see {@link Milestones#prepares}. */
    public final BillingInterval renewalPrepMinInterval;
    public final long maxFutureSkewMillis;
    /** The most eventIds one account remembers for de-duplication ({@link RecentEventIds}). */
    public final int dedupMaxIds;
    /** An account-health snapshot is re-emitted when the score moved at least this many points since the last one. */
    public final double snapshotScoreStep;
    /**
     * Accounts each account-engine instance keeps deserialised between their events, so a busy
     * account is read from a copying state backend (RocksDB) once, not per event; 0 disables it,
     * {@link #STATE_CACHE_SIZE_UNSET} leaves the size to the operator, from its share of the task
     * heap. Not domain logic, but carried here with the rest of the operator's settings.
     */
    public final int stateCacheSize;
    /** {@code state.account-cache-size} not set: the operator sizes the cache from the heap. */
    public static final int STATE_CACHE_SIZE_UNSET = -1;
    /** The share of an instance's part of the task heap an account cache may fill (see {@link #stateCacheSize}). */
    public final double stateCacheHeapShare;
    /**
     * Whether each account-engine instance keeps a filter of the accounts with state in it, so the
     * first event of a new account skips the state backend's reads. Not domain logic either.
     */
    public final boolean knownAccountsFilter;
    /**
     * Accounts whose newest account-health snapshot each instance holds until the next checkpoint
     * barrier, writing only the newest; 0 writes every snapshot at once. Not domain logic either.
     */
    public final int snapshotBufferSize;
    /** A held snapshot is written at the latest this long after its account's last change, barrier or not. */
    public final long snapshotMaxHoldMillis;
    /** ... or a metric's utilisation entered another step of this width (0.05 = 5 percentage points). */
    public final double snapshotUtilisationStep;
    public final FxRates fx;
    public final PlanCatalog catalog;

    private EngineSettings(Builder b) {
        this.defaultLevels = checkLevels("thresholds.levels", b.defaultLevels);
        this.segmentLevels = Map.copyOf(b.segmentLevels);
        this.segmentLevels.forEach((seg, levels) -> checkLevels("thresholds.levels." + seg, levels));
        this.seatLevels = checkLevels("thresholds.seat-levels", b.seatLevels);
        this.hysteresis = checkRange("thresholds.hysteresis", b.hysteresis, 0, 1);
        this.cooldownMillis = checkNonNegative("signals.cooldown", b.cooldown.toMillis());
        this.featureGateHits = (int) checkRange("feature-gate.hits", b.featureGateHits, 1, 1_000_000);
        this.featureGateWindowMillis = checkPositive("feature-gate.window", b.featureGateWindow.toMillis());
        this.forecastHorizonMillis = checkPositive("forecast.horizon", b.forecastHorizon.toMillis());
        this.forecastMinElapsedMillis = checkNonNegative("forecast.min-elapsed", b.forecastMinElapsed.toMillis());
        this.neutralFrom = checkRange("health.band.neutral-from", b.neutralFrom, 0, 100);
        this.healthyFrom = checkRange("health.band.healthy-from", b.healthyFrom, 0, 100);
        if (healthyFrom <= neutralFrom) {
            throw new IllegalArgumentException("health.band.healthy-from (" + healthyFrom
                    + ") must be above health.band.neutral-from (" + neutralFrom + ")");
        }
        this.scoreDropPoints = checkRange("churn-risk.score-drop", b.scoreDropPoints, 1, 100);
        this.onboardingMillis = checkNonNegative("churn-risk.onboarding-period", b.onboardingPeriod.toMillis());
        this.topReasons = (int) checkRange("health.top-reasons", b.topReasons, 1, 8);
        this.adoptionTarget = (int) checkRange("health.adoption-target", b.adoptionTarget, 1, 10_000);
        this.weights = Objects.requireNonNull(b.weights, "health.weights");
        this.usagePeriod = Objects.requireNonNull(b.usagePeriod, "usage.period");
        this.portfolioPeriod = Objects.requireNonNull(b.portfolioPeriod, "portfolio.period");
        this.quietAccountExpiryMillis = checkPositive("state.quiet-account-expiry", b.quietAccountExpiry.toMillis());
        this.renewalPrepMinInterval = Objects.requireNonNull(b.renewalPrepMinInterval, "milestones.renewal-prep.min-interval");
        this.maxFutureSkewMillis = checkPositive("input.max-future-skew", b.maxFutureSkew.toMillis());
        this.dedupMaxIds = (int) checkRange("dedup.max-event-ids", b.dedupMaxIds, 1, 1_000_000);
        this.stateCacheSize = b.stateCacheSize == STATE_CACHE_SIZE_UNSET ? STATE_CACHE_SIZE_UNSET
                : (int) checkRange("state.account-cache-size", b.stateCacheSize, 0, 10_000_000);
        this.stateCacheHeapShare = checkRange("state.account-cache-heap-share", b.stateCacheHeapShare, 0.01, 1);
        this.knownAccountsFilter = b.knownAccountsFilter;
        this.snapshotBufferSize = (int) checkRange("health.snapshot.buffer-size", b.snapshotBufferSize, 0, 10_000_000);
        this.snapshotMaxHoldMillis = checkPositive("health.snapshot.max-hold", b.snapshotMaxHold.toMillis());
        this.snapshotScoreStep = checkRange("health.snapshot.score-step", b.snapshotScoreStep, 0.1, 100);
        this.snapshotUtilisationStep = checkRange("health.snapshot.utilisation-step", b.snapshotUtilisationStep, 0.001, 10);
        this.fx = Objects.requireNonNull(b.fx, "fx");
        this.catalog = Objects.requireNonNull(b.catalog, "catalog");
    }

    public static EngineSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.defaultLevels = defaultLevels;
        b.segmentLevels = segmentLevels;
        b.seatLevels = seatLevels;
        b.hysteresis = hysteresis;
        b.cooldown = Duration.ofMillis(cooldownMillis);
        b.featureGateHits = featureGateHits;
        b.featureGateWindow = Duration.ofMillis(featureGateWindowMillis);
        b.forecastHorizon = Duration.ofMillis(forecastHorizonMillis);
        b.forecastMinElapsed = Duration.ofMillis(forecastMinElapsedMillis);
        b.healthyFrom = healthyFrom;
        b.neutralFrom = neutralFrom;
        b.scoreDropPoints = scoreDropPoints;
        b.onboardingPeriod = Duration.ofMillis(onboardingMillis);
        b.topReasons = topReasons;
        b.adoptionTarget = adoptionTarget;
        b.weights = weights;
        b.usagePeriod = usagePeriod;
        b.portfolioPeriod = portfolioPeriod;
        b.quietAccountExpiry = Duration.ofMillis(quietAccountExpiryMillis);
        b.renewalPrepMinInterval = renewalPrepMinInterval;
        b.maxFutureSkew = Duration.ofMillis(maxFutureSkewMillis);
        b.dedupMaxIds = dedupMaxIds;
        b.snapshotScoreStep = snapshotScoreStep;
        b.stateCacheSize = stateCacheSize;
        b.stateCacheHeapShare = stateCacheHeapShare;
        b.knownAccountsFilter = knownAccountsFilter;
        b.snapshotBufferSize = snapshotBufferSize;
        b.snapshotMaxHold = Duration.ofMillis(snapshotMaxHoldMillis);
        b.snapshotUtilisationStep = snapshotUtilisationStep;
        b.fx = fx;
        b.catalog = catalog;
        return b;
    }

    /** The same settings with another catalog (a live catalog update). */
    public EngineSettings withCatalog(PlanCatalog newCatalog, FxRates newFx) {
        return toBuilder().catalog(newCatalog).fx(newFx).build();
    }

    private static List<Double> checkLevels(String name, List<Double> levels) {
        if (levels == null || levels.isEmpty()) {
            throw new IllegalArgumentException(name + " must list at least one level");
        }
        double previous = 0;
        for (Double level : levels) {
            if (level == null || level <= previous || level > 10) {
                throw new IllegalArgumentException(name + " must be ascending numbers in (0, 10], was " + levels);
            }
            previous = level;
        }
        return List.copyOf(levels);
    }

    private static double checkRange(String name, double value, double min, double max) {
        if (Double.isNaN(value) || value < min || value > max) {
            throw new IllegalArgumentException(name + " must be within [" + min + ", " + max + "], was " + value);
        }
        return value;
    }

    private static long checkPositive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value + " ms");
        }
        return value;
    }

    private static long checkNonNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value + " ms");
        }
        return value;
    }

    /** Mutable builder with SPEC.md's defaults. */
    public static final class Builder {
        private List<Double> defaultLevels = List.of(0.8, 0.9, 1.0);
        private Map<String, List<Double>> segmentLevels = Map.of();
        private List<Double> seatLevels = List.of(0.9, 1.0);
        private double hysteresis = 0.05;
        private Duration cooldown = Duration.ofHours(24);
        private double featureGateHits = 3;
        private Duration featureGateWindow = Duration.ofDays(30);
        private Duration forecastHorizon = Duration.ofDays(90);
        private Duration forecastMinElapsed = Duration.ofDays(3);
        private double healthyFrom = 70;
        private double neutralFrom = 40;
        private double scoreDropPoints = 15;
        private Duration onboardingPeriod = Duration.ofDays(14);
        private double topReasons = 3;
        private double adoptionTarget = 8;
        private HealthWeights weights = HealthWeights.defaults();
        private UsagePeriod usagePeriod = UsagePeriod.CALENDAR_MONTH;
        private UsagePeriod portfolioPeriod = UsagePeriod.CALENDAR_MONTH;
        private Duration quietAccountExpiry = Duration.ofDays(90);
        private BillingInterval renewalPrepMinInterval = BillingInterval.YEARLY;
        private Duration maxFutureSkew = Duration.ofDays(1);
        private double dedupMaxIds = 1024;
        private double snapshotScoreStep = 5;
        private double stateCacheSize = 0;
        private double stateCacheHeapShare = 0.5;
        private boolean knownAccountsFilter = false;
        private double snapshotBufferSize = 0;
        private Duration snapshotMaxHold = Duration.ofSeconds(5);
        private double snapshotUtilisationStep = 0.1;
        private FxRates fx = FxRates.identity("USD");
        private PlanCatalog catalog = PlanCatalog.empty();

        public Builder levels(List<Double> v) { defaultLevels = v; return this; }
        public Builder segmentLevels(Map<String, List<Double>> v) { segmentLevels = v; return this; }
        public Builder seatLevels(List<Double> v) { seatLevels = v; return this; }
        public Builder hysteresis(double v) { hysteresis = v; return this; }
        public Builder cooldown(Duration v) { cooldown = v; return this; }
        public Builder featureGateHits(int v) { featureGateHits = v; return this; }
        public Builder featureGateWindow(Duration v) { featureGateWindow = v; return this; }
        public Builder forecastHorizon(Duration v) { forecastHorizon = v; return this; }
        public Builder forecastMinElapsed(Duration v) { forecastMinElapsed = v; return this; }
        public Builder healthyFrom(double v) { healthyFrom = v; return this; }
        public Builder neutralFrom(double v) { neutralFrom = v; return this; }
        public Builder scoreDropPoints(double v) { scoreDropPoints = v; return this; }
        public Builder onboardingPeriod(Duration v) { onboardingPeriod = v; return this; }
        public Builder topReasons(int v) { topReasons = v; return this; }
        public Builder adoptionTarget(int v) { adoptionTarget = v; return this; }
        public Builder weights(HealthWeights v) { weights = v; return this; }
        public Builder usagePeriod(UsagePeriod v) { usagePeriod = v; return this; }
        public Builder portfolioPeriod(UsagePeriod v) { portfolioPeriod = v; return this; }
        public Builder quietAccountExpiry(Duration v) { quietAccountExpiry = v; return this; }
        public Builder renewalPrepMinInterval(BillingInterval v) { renewalPrepMinInterval = v; return this; }
        public Builder maxFutureSkew(Duration v) { maxFutureSkew = v; return this; }
        public Builder dedupMaxIds(int v) { dedupMaxIds = v; return this; }
        public Builder snapshotScoreStep(double v) { snapshotScoreStep = v; return this; }
        public Builder stateCacheSize(int v) { stateCacheSize = v; return this; }
        public Builder stateCacheHeapShare(double v) { stateCacheHeapShare = v; return this; }
        public Builder knownAccountsFilter(boolean v) { knownAccountsFilter = v; return this; }
        public Builder snapshotBufferSize(int v) { snapshotBufferSize = v; return this; }
        public Builder snapshotMaxHold(Duration v) { snapshotMaxHold = v; return this; }
        public Builder snapshotUtilisationStep(double v) { snapshotUtilisationStep = v; return this; }
        public Builder fx(FxRates v) { fx = v; return this; }
        public Builder catalog(PlanCatalog v) { catalog = v; return this; }

        public EngineSettings build() {
            return new EngineSettings(this);
        }
    }
}
