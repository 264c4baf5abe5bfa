package io.expansionsignals.domain;

import io.expansionsignals.schema.UsageKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Usage of one metric of one account, and which threshold levels already fired. Flink POJO. */
public class MetricState {
    public UsageKind kind = UsageKind.DELTA;
    /** Start of the usage period {@link #usage} belongs to. */
    public long periodStart;
    /** DELTA: consumption in the period; GAUGE: the latest level. */
    public long usage;
    /** DELTA: consumption of the previous period (0 if unknown), for the trend. */
    public long previousPeriodUsage;
    /** GAUGE: event time of the latest level, so an older reading never overwrites a newer one. */
    public long lastReadingAt;
    /** Limit the levels were last evaluated against; {@link SubscriptionState#UNLIMITED} or 0 when none. */
    public long lastLimit;
    /**
     * How often the limit changed: part of the signal identity, so a limit changed and changed back
     * within one period re-arms a level without reusing the id of the signal that fired before.
     */
    public int limitChanges;
    /** level (as text, e.g. "0.8") -> start of the period it last fired in. */
    public Map<String, Long> firedInPeriod = new NameLongMap();
    /** GAUGE: levels that fired and have not yet fallen below level - hysteresis. */
    public List<String> disarmed = new ArrayList<>();
    /** Period start in which a forecast-to-breach signal fired, 0 if none. */
    public long forecastFiredPeriod;
    /**
     * GAUGE: readings kept for the trend and the forecast, times and values at the same index,
     * oldest first, bounded. Primitive arrays, not lists of boxed longs: up to 60 objects fewer per
     * metric in memory, and a bulk copy instead of an element-by-element walk each time RocksDB
     * reads or writes the account. (They replaced the lists sampleTimes/sampleValues; a savepoint
     * that still has those restores without them: the trend starts over from the next readings.)
     */
    public long[] gaugeTimes = EmptyArrays.LONGS;
    public long[] gaugeValues = EmptyArrays.LONGS;

    /** The limit under {@link #derivedLimitFacts}, see {@link SubscriptionFacts#limit}. Derived, so transient: never serialised. */
    transient long derivedLimit;
    transient SubscriptionFacts derivedLimitFacts;
    /**
     * GAUGE: the readings' trend, newest over oldest, NaN when there is none ({@link GaugeSamples#trend}),
     * valid while {@link #derivedTrendKnown}. The health score asks it of every gauge metric on every
     * event; kept here, that reaches this object instead of both reading arrays, each a likely cache
     * miss. Derived, so transient: a restored or copied metric recomputes it once.
     */
    transient double derivedTrend;
    transient boolean derivedTrendKnown;
    /** The metric name's hash once taken, for the snapshot fingerprint: saves reaching the name on every event. */
    transient int derivedNameHash;

    public MetricState() {}
}
