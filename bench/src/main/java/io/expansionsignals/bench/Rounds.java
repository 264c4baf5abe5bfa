package io.expansionsignals.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * The Flink rows of every round, so a product row's ratio to the framework floor can be read round
 * by round (each against the floor of its own round) and as their median. The reported round alone
 * moved by a fifth between rounds at 1 M accounts, mostly through the floor (run 32: 0.44–0.62);
 * the median of all rounds is the figure to size with, the reported round the one comparable with
 * runs before run 33.
 */
public final class Rounds {
    private final Map<Integer, List<List<Measurement>>> byAccounts = new LinkedHashMap<>();

    /** Adds the next round's rows for {@code accounts}. */
    public void add(int accounts, List<Measurement> round) {
        byAccounts.computeIfAbsent(accounts, a -> new ArrayList<>()).add(List.copyOf(round));
    }

    public int count(int accounts) {
        return byAccounts.getOrDefault(accounts, List.of()).size();
    }

    /** {@code variant}'s rate over the floor's, round by round; NaN for a round without either. */
    public double[] ratiosToFloor(int accounts, String variant) {
        List<List<Measurement>> rounds = byAccounts.getOrDefault(accounts, List.of());
        double[] ratios = new double[rounds.size()];
        for (int i = 0; i < ratios.length; i++) {
            Measurement row = Report.find(rounds.get(i), accounts, variant);
            Measurement floor = Report.find(rounds.get(i), accounts, "framework floor");
            ratios[i] = row == null || floor == null || row == floor || floor.eventsPerSecond() <= 0 ? Double.NaN
                    : row.eventsPerSecond() / floor.eventsPerSecond();
        }
        return ratios;
    }

    /** The median of {@link #ratiosToFloor}'s measured rounds (the mean of the middle two of an even count). */
    public OptionalDouble medianRatioToFloor(int accounts, String variant) {
        return median(Arrays.stream(ratiosToFloor(accounts, variant)).filter(r -> !Double.isNaN(r)).toArray());
    }

    static OptionalDouble median(double[] values) {
        if (values.length == 0) {
            return OptionalDouble.empty();
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return OptionalDouble.of(sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2);
    }

    /** One line per account count and variant: each round's rate and ratio to its floor, then the median. */
    public String markdown() {
        int most = byAccounts.values().stream().mapToInt(List::size).max().orElse(0);
        if (most < 2) {
            return "";
        }
        StringBuilder b = new StringBuilder("\nRounds (each against the floor of its own round; the table above reports the last):\n\n"
                + "| accounts | variant |");
        for (int r = 1; r <= most; r++) {
            b.append(" round ").append(r).append(" |");
        }
        b.append(" median vs floor |\n|---:|---|").append("---:|".repeat(most + 1)).append('\n');
        byAccounts.forEach((accounts, rounds) -> {
            for (String variant : variants(rounds)) {
                double[] ratios = ratiosToFloor(accounts, variant);
                b.append(String.format(Locale.ROOT, "| %,d | %s |", accounts, variant));
                for (int r = 0; r < most; r++) {
                    Measurement row = r < rounds.size() ? Report.find(rounds.get(r), accounts, variant) : null;
                    b.append(row == null ? " – |" : Double.isNaN(ratios[r])
                            ? String.format(Locale.ROOT, " %,.0f |", row.eventsPerSecond())
                            : String.format(Locale.ROOT, " %,.0f (%.2f) |", row.eventsPerSecond(), ratios[r]));
                }
                OptionalDouble median = medianRatioToFloor(accounts, variant);
                b.append(median.isPresent() ? String.format(Locale.ROOT, " %.2f |%n", median.getAsDouble()) : " – |\n");
            }
        });
        return b.toString();
    }

    private static Set<String> variants(List<List<Measurement>> rounds) {
        Set<String> names = new LinkedHashSet<>();
        rounds.forEach(round -> round.forEach(m -> names.add(m.variant())));
        return names;
    }
}
