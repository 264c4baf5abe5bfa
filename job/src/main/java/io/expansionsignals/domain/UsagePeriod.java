package io.expansionsignals.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

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
        LocalDate d = Instant.ofEpochMilli(epochMillis).atZone(ZoneOffset.UTC).toLocalDate().withDayOfMonth(1);
        return d.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    public long endOf(long epochMillis) {
        long start = startOf(epochMillis);
        if (this == DAY) {
            return start + DAY_MILLIS;
        }
        return Instant.ofEpochMilli(start).atZone(ZoneOffset.UTC).plusMonths(1).toInstant().toEpochMilli();
    }
}
