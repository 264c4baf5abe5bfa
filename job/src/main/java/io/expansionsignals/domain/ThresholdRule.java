package io.expansionsignals.domain;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoublePredicate;

/**
 * The threshold semantics of SPEC §4, for one metric (or the seat count) of one account:
 * {@code usage >= level x limit} fires (exactly at the limit fires); only the highest newly
 * crossed level fires and the lower ones it jumped over are spent with it; each level fires at
 * most once per period; GAUGE levels re-arm only when utilisation falls below level - hysteresis.
 * A level held back by the cooldown stays armed and fires on a later reading.
 */
public final class ThresholdRule {
    private final double hysteresis;

    public ThresholdRule(double hysteresis) {
        this.hysteresis = hysteresis;
    }

    /**
     * @param fired level key -> period start it last fired in (updated)
     * @param disarmed GAUGE levels waiting for the hysteresis re-arm (updated)
     * @param cooldownAllows is a signal at this level allowed now (cooldown or escalation)
     * @return the level that fires, if any
     */
    public Optional<Double> evaluate(
            List<Double> levels,
            long usage,
            long limit,
            boolean gauge,
            long period,
            Map<String, Long> fired,
            List<String> disarmed,
            DoublePredicate cooldownAllows) {
        if (limit <= 0) {
            return Optional.empty();
        }
        double utilisation = (double) usage / limit;
        if (gauge) {
            disarmed.removeIf(key -> utilisation < Double.parseDouble(key) - hysteresis);
        }
        Double highest = null;
        for (double level : levels) {
            String key = key(level);
            boolean crossed = reached(usage, limit, level);
            boolean spent = NameLongMap.holds(fired, key, period) || (gauge && disarmed.contains(key));
            if (crossed && !spent) {
                highest = level;
            }
        }
        if (highest == null || !cooldownAllows.test(highest)) {
            return Optional.empty();
        }
        for (double level : levels) {
            if (level <= highest && reached(usage, limit, level)) {
                String key = key(level);
                fired.put(key, period);
                if (gauge && !disarmed.contains(key)) {
                    disarmed.add(key);
                }
            }
        }
        return Optional.of(highest);
    }

    /**
     * After a limit change (plan change), levels above the new utilisation become available
     * again: they were spent against the old limit.
     */
    public void rearmAbove(List<Double> levels, long usage, long limit, Map<String, Long> fired, List<String> disarmed) {
        for (double level : levels) {
            if (limit <= 0 || !reached(usage, limit, level)) {
                fired.remove(key(level));
                disarmed.remove(key(level));
            }
        }
    }

    /** usage >= level x limit, in exact decimal arithmetic (0.8 x 10,000 must be exactly 8,000). */
    public static boolean reached(long usage, long limit, double level) {
        // Far from the boundary the double product decides; only near it (or with huge values) is
        // the exact decimal comparison worth its cost.
        double product = level * limit;
        double margin = Math.abs(product) * 1e-9 + 1;
        if (Math.abs(product) < 1e15 && Math.abs((double) usage) < 1e15) {
            if (usage > product + margin) {
                return true;
            }
            if (usage < product - margin) {
                return false;
            }
        }
        return BigDecimal.valueOf(usage).compareTo(BigDecimal.valueOf(level).multiply(BigDecimal.valueOf(limit))) >= 0;
    }

    private static final java.util.concurrent.ConcurrentHashMap<Double, String> KEYS = new java.util.concurrent.ConcurrentHashMap<>();

    /** The level as text ("0.8"), the key of the fired-levels map; levels come from a short configured list. */
    public static String key(double level) {
        String key = KEYS.get(level);
        if (key == null) {
            key = SharedNames.of(BigDecimal.valueOf(level).stripTrailingZeros().toPlainString());
            if (KEYS.size() < 1024) {
                KEYS.put(level, key);
            }
        }
        return key;
    }
}
