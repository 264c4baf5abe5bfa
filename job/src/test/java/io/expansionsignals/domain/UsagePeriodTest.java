package io.expansionsignals.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class UsagePeriodTest {
    private static final long DAY = UsagePeriod.DAY_MILLIS;

    @Test
    void civilDaysAgreeWithLocalDateOnEveryDayFrom1600To2400() {
        long from = LocalDate.of(1600, 1, 1).toEpochDay();
        long to = LocalDate.of(2400, 12, 31).toEpochDay();
        for (long day = from; day <= to; day++) {
            LocalDate d = LocalDate.ofEpochDay(day);
            LocalDate first = d.withDayOfMonth(1);
            assertEquals(first.toEpochDay(), CivilDays.firstOfMonth(day), d::toString);
            assertEquals(first.plusMonths(1).toEpochDay(), CivilDays.firstOfNextMonth(day), d::toString);
        }
    }

    @Test
    void aCalendarMonthRunsFromItsFirstDayToTheNextMonthsFirstInUtc() {
        long midFeb2024 = LocalDate.of(2024, 2, 14).atTime(13, 5).toInstant(ZoneOffset.UTC).toEpochMilli();

        assertEquals(LocalDate.of(2024, 2, 1).toEpochDay() * DAY, UsagePeriod.CALENDAR_MONTH.startOf(midFeb2024));
        assertEquals(LocalDate.of(2024, 3, 1).toEpochDay() * DAY, UsagePeriod.CALENDAR_MONTH.endOf(midFeb2024), "leap February");
        long lastMilliOfJan2023 = LocalDate.of(2023, 2, 1).toEpochDay() * DAY - 1;
        assertEquals(LocalDate.of(2023, 1, 1).toEpochDay() * DAY, UsagePeriod.CALENDAR_MONTH.startOf(lastMilliOfJan2023));
        assertEquals(LocalDate.of(2023, 2, 1).toEpochDay() * DAY, UsagePeriod.CALENDAR_MONTH.endOf(lastMilliOfJan2023));
    }

    @Test
    void beforeTheEpochMonthsAndDaysStillStartOnTheirFirstMilli() {
        long lateDec1969 = -1; // 1969-12-31T23:59:59.999Z
        assertEquals(LocalDate.of(1969, 12, 1).toEpochDay() * DAY, UsagePeriod.CALENDAR_MONTH.startOf(lateDec1969));
        assertEquals(0, UsagePeriod.CALENDAR_MONTH.endOf(lateDec1969));
        assertEquals(-DAY, UsagePeriod.DAY.startOf(lateDec1969));
        assertEquals(0, UsagePeriod.DAY.endOf(lateDec1969));
    }
}
