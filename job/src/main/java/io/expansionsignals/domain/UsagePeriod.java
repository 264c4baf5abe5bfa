package io.expansionsignals.domain;

/**
 * The period DELTA usage accumulates over and threshold levels fire at most once in: a calendar
 * month in UTC by default, a UTC day for demos and tests that need fast rollovers.
 */
public enum UsagePeriod {
    CALENDAR_MONTH,
    DAY;

    public static final long DAY_MILLIS = 86_400_000L;

    public long startOf(long epochMillis) {
        long day = Math.floorDiv(epochMillis, DAY_MILLIS);
        if (this == DAY) {
            return day * DAY_MILLIS;
        }
        return CivilDays.firstOfMonth(day) * DAY_MILLIS;
    }

    public long endOf(long epochMillis) {
        long day = Math.floorDiv(epochMillis, DAY_MILLIS);
        if (this == DAY) {
            return (day + 1) * DAY_MILLIS;
        }
        return CivilDays.firstOfNextMonth(day) * DAY_MILLIS;
    }
}
