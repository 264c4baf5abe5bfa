package io.expansionsignals.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScoreHistoryTest {
    private static final long DAY = UsagePeriod.DAY_MILLIS;

    private static long at(long day) {
        return day * DAY + 3_600_000L;
    }

    @Test
    void theHighAndTheBaselineOnlyLookThirtyDaysBack() {
        AccountState a = AccountEngine.newAccount("a");
        ScoreHistory.remember(a, 90.0, at(100)); // 40 days before day 140: out of both windows
        ScoreHistory.remember(a, 70.5, at(111));
        ScoreHistory.remember(a, 60.0, at(125));
        ScoreHistory.remember(a, 50.0, at(140));
        assertThat(ScoreHistory.recentHigh(a, at(140))).isEqualTo(70.5);
        assertThat(ScoreHistory.baseline(a, at(140))).isEqualTo(70.5);
        assertThat(ScoreHistory.baseline(a, at(142))).as("day 111 is now 31 days back").isEqualTo(60.0);
        assertThat(ScoreHistory.size(a)).isEqualTo(3);
    }

    @Test
    void theLastScoreOfADayWinsAndALateDayDoesNotRewriteHistory() {
        AccountState a = AccountEngine.newAccount("a");
        ScoreHistory.remember(a, 40.0, at(10));
        ScoreHistory.remember(a, 45.0, at(10) + 1000);
        ScoreHistory.remember(a, 99.0, at(9)); // late: ignored
        assertThat(ScoreHistory.recentHigh(a, at(10))).isEqualTo(45.0);
        assertThat(ScoreHistory.size(a)).isEqualTo(1);
    }

    @Test
    void aLongGapForgetsEveryEarlierDay() {
        AccountState a = AccountEngine.newAccount("a");
        for (int d = 0; d < 32; d++) {
            ScoreHistory.remember(a, d, at(d));
        }
        ScoreHistory.remember(a, 10.0, at(200));
        assertThat(ScoreHistory.size(a)).isEqualTo(1);
        assertThat(ScoreHistory.baseline(a, at(200))).isNull();
        assertThat(ScoreHistory.recentHigh(a, at(200))).isEqualTo(10.0);
    }

    @Test
    void anEmptyHistoryHasNoHighAndNoBaseline() {
        AccountState a = AccountEngine.newAccount("a");
        assertThat(ScoreHistory.recentHigh(a, at(5))).isNull();
        assertThat(ScoreHistory.baseline(a, at(5))).isNull();
    }

    @Test
    void theHighSinceAnInstantCountsOnlyTheDaysWhollyAfterIt() {
        AccountState a = AccountEngine.newAccount("a");
        ScoreHistory.remember(a, 90.0, at(10));
        ScoreHistory.remember(a, 80.0, at(14) + 5 * 3_600_000L); // the day `since` falls in: its score may be older
        ScoreHistory.remember(a, 60.0, at(15));
        ScoreHistory.remember(a, 70.0, at(16));
        assertThat(ScoreHistory.recentHigh(a, at(16), at(14))).isEqualTo(70.0);
        assertThat(ScoreHistory.recentHigh(a, at(16), 15 * DAY)).as("from midnight on: day 15 counts").isEqualTo(70.0);
        assertThat(ScoreHistory.recentHigh(a, at(16), 14 * DAY)).as("day 14 wholly after").isEqualTo(80.0);
        assertThat(ScoreHistory.recentHigh(a, at(16), at(17))).isNull();
    }
}
