package io.expansionsignals.domain;

import java.time.LocalDate;

/**
 * The period DELTA usage accumulates over and threshold levels fire at most once in: a calendar
 * month in UTC by default, a UTC day for demos and tests that need fast rollovers.
 */
public enum UsagePeriod {
    CALENDAR_MONTH,
    DAY;

    public static final long DAY_MILLIS = 86_400_000L;

    public long startOf(long epochMillis) {
        if (this == DAY) {
            return Math.floorDiv(epochMillis, DAY_MILLIS) * DAY_MILLIS;
        }
        // Epoch-day arithmetic, not ZonedDateTime: this runs several times per event.
        LocalDate d = LocalDate.ofEpochDay(Math.floorDiv(epochMillis, DAY_MILLIS));
        return (d.toEpochDay() - d.getDayOfMonth() + 1) * DAY_MILLIS;
    }

    public long endOf(long epochMillis) {
        long start = startOf(epochMillis);
        if (this == DAY) {
            return start + DAY_MILLIS;
        }
        return start + LocalDate.ofEpochDay(start / DAY_MILLIS).lengthOfMonth() * DAY_MILLIS;
    }
}
