package io.expansionsignals.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** SPEC §4 on one metric in isolation; the engine tests cover cooldown, rollover and plan changes. */
class ThresholdRuleTest {
    private static final List<Double> LEVELS = List.of(0.8, 0.9, 1.0);
    private final ThresholdRule rule = new ThresholdRule(0.05);
    private final Map<String, Long> fired = new HashMap<>();
    private final List<String> disarmed = new ArrayList<>();

    private Optional<Double> delta(long usage, long period) {
        return rule.evaluate(LEVELS, usage, 10_000, false, period, fired, disarmed, level -> true);
    }

    private Optional<Double> gauge(long usage, long period) {
        return rule.evaluate(LEVELS, usage, 10_000, true, period, fired, disarmed, level -> true);
    }

    @Test
    void exactlyAtTheLevelFiresOneBelowDoesNot() {
        assertThat(delta(7_999, 1)).isEmpty();
        assertThat(delta(8_000, 1)).contains(0.8);
    }

    @Test
    void exactlyAtTheLimitFiresTheLimitLevel() {
        assertThat(ThresholdRule.reached(10_000, 10_000, 1.0)).isTrue();
        assertThat(ThresholdRule.reached(9_999, 10_000, 1.0)).isFalse();
        // 0.9 x 3 = 2.7000000000000002 in binary floating point: exact decimals keep 2.7 from misfiring.
        assertThat(ThresholdRule.reached(27, 30, 0.9)).isTrue();
    }

    @Test
    void aJumpOverSeveralLevelsFiresOnlyTheHighestAndSpendsTheOthers() {
        assertThat(delta(9_500, 1)).contains(0.9);
        assertThat(delta(9_600, 1)).isEmpty(); // 0.8 was jumped over: it does not fire late
        assertThat(delta(10_000, 1)).contains(1.0);
    }

    @Test
    void eachLevelFiresAtMostOncePerPeriodAndReArmsInTheNextPeriod() {
        assertThat(delta(8_000, 1)).contains(0.8);
        assertThat(delta(8_500, 1)).isEmpty();
        assertThat(delta(8_000, 2)).contains(0.8);
    }

    @Test
    void aHoveringGaugeDoesNotFlapAndReArmsBelowLevelMinusHysteresis() {
        assertThat(gauge(8_000, 1)).contains(0.8);
        assertThat(gauge(7_900, 1)).isEmpty();
        assertThat(gauge(8_100, 1)).isEmpty(); // still within hysteresis: not re-armed
        assertThat(gauge(7_400, 2)).isEmpty(); // below 0.75: re-armed
        assertThat(gauge(8_000, 2)).contains(0.8);
    }

    @Test
    void aGaugeThatNeverDroppedDoesNotFireAgainInTheNextPeriod() {
        assertThat(gauge(8_200, 1)).contains(0.8);
        assertThat(gauge(8_200, 2)).isEmpty();
    }

    @Test
    void aLevelHeldBackByTheCooldownStaysArmed() {
        assertThat(rule.evaluate(LEVELS, 8_000, 10_000, false, 1, fired, disarmed, level -> false)).isEmpty();
        assertThat(delta(8_100, 1)).contains(0.8);
    }

    @Test
    void noLimitNeverFires() {
        assertThat(rule.evaluate(LEVELS, 1_000_000, Limits.NONE, false, 1, fired, disarmed, l -> true)).isEmpty();
    }

    @Test
    void rearmAfterALimitChangeFreesOnlyTheLevelsAboveTheNewUtilisation() {
        assertThat(delta(9_000, 1)).contains(0.9);
        rule.rearmAbove(LEVELS, 9_000, 20_000, fired, disarmed); // plan upgrade doubles the limit
        assertThat(rule.evaluate(LEVELS, 16_000, 20_000, false, 1, fired, disarmed, l -> true)).contains(0.8);
    }

    @Test
    void theFastComparisonAgreesWithExactDecimalArithmetic() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(42);
        double[] levels = {0.5, 0.75, 0.8, 0.9, 0.95, 1.0, 1.1, 0.333, 0.07};
        for (int i = 0; i < 200_000; i++) {
            long limit = rng.nextInt(4) == 0 ? rng.nextLong(1, 100) : rng.nextLong(1, 10_000_000_000L);
            double level = levels[rng.nextInt(levels.length)];
            long boundary = (long) Math.floor(level * limit);
            long usage = rng.nextBoolean() ? boundary + rng.nextLong(-2, 3) : rng.nextLong(0, 2 * limit + 1);
            boolean exact = java.math.BigDecimal.valueOf(usage)
                    .compareTo(java.math.BigDecimal.valueOf(level).multiply(java.math.BigDecimal.valueOf(limit))) >= 0;
            assertThat(ThresholdRule.reached(usage, limit, level)).as("%d vs %s x %d", usage, level, limit).isEqualTo(exact);
        }
        assertThat(ThresholdRule.reached(Long.MAX_VALUE, Long.MAX_VALUE, 1.0)).isTrue();
        assertThat(ThresholdRule.reached(Long.MAX_VALUE - 1, Long.MAX_VALUE, 1.0)).isFalse();
    }

    @Test
    void calendarMonthsAreUtcMonthsBeforeAndAfterTheEpoch() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            long t = rng.nextLong(-5_000_000_000_000L, 5_000_000_000_000L);
            java.time.ZonedDateTime z = java.time.Instant.ofEpochMilli(t).atZone(java.time.ZoneOffset.UTC);
            java.time.ZonedDateTime first = z.toLocalDate().withDayOfMonth(1).atStartOfDay(java.time.ZoneOffset.UTC);
            assertThat(UsagePeriod.CALENDAR_MONTH.startOf(t)).isEqualTo(first.toInstant().toEpochMilli());
            assertThat(UsagePeriod.CALENDAR_MONTH.endOf(t)).isEqualTo(first.plusMonths(1).toInstant().toEpochMilli());
        }
    }
}
