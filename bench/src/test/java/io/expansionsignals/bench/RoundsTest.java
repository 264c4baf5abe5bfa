package io.expansionsignals.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RoundsTest {
    private static final String PRODUCT = "product RocksDB + exactly-once";
    private static final String FLOOR = "framework floor (RocksDB + exactly-once)";

    /** A row that ran {@code events} events in 10 s. */
    private static Measurement row(String variant, int accounts, long eventsPerSecond) {
        return new Measurement(variant, accounts, eventsPerSecond * 10, 10, 20, 100, 1_000);
    }

    private static List<Measurement> round(int accounts, long floor, long product) {
        return List.of(row(FLOOR, accounts, floor), row(PRODUCT, accounts, product));
    }

    @Test
    void eachRoundIsComparedWithItsOwnFloorAndTheMedianTakesTheMiddle() {
        Rounds rounds = new Rounds();
        // run 32's 1 M rounds, rounded: the last round's floor ran slow, so only it cleared 0.60
        rounds.add(1_000_000, round(1_000_000, 340_000, 197_200));
        rounds.add(1_000_000, round(1_000_000, 340_000, 193_800));
        rounds.add(1_000_000, round(1_000_000, 320_000, 156_800));
        rounds.add(1_000_000, round(1_000_000, 350_000, 154_000));
        rounds.add(1_000_000, round(1_000_000, 270_000, 167_400));

        assertArrayEquals(new double[] {0.58, 0.57, 0.49, 0.44, 0.62}, rounds.ratiosToFloor(1_000_000, PRODUCT), 1e-9);
        assertEquals(0.57, rounds.medianRatioToFloor(1_000_000, PRODUCT).getAsDouble(), 1e-9);
        assertTrue(rounds.medianRatioToFloor(1_000_000, FLOOR).isEmpty(), "the floor has no ratio to itself");
        assertTrue(rounds.medianRatioToFloor(10_000, PRODUCT).isEmpty(), "no rounds at that scale");

        String md = Report.markdown(List.of(row(FLOOR, 1_000_000, 270_000), row(PRODUCT, 1_000_000, 167_400)), List.of(),
                List.of(), rounds);
        assertTrue(md.contains("| 1,000,000 | " + PRODUCT + " | 1,674,000 | 167,400 | 83,700 | – | – | 0.62 | 0.57 |"), md);
        assertTrue(md.contains("| 1,000,000 | " + PRODUCT + " | 197,200 (0.58) | 193,800 (0.57) | 156,800 (0.49) |"
                + " 154,000 (0.44) | 167,400 (0.62) | 0.57 |"), md);
        String csvRow = Report.csv(List.of(row(PRODUCT, 1_000_000, 167_400)), List.of(), rounds).split("\n")[1];
        assertTrue(csvRow.endsWith(",0.570,-1,-1,-1"), csvRow);
    }

    @Test
    void anEvenCountTakesTheMeanOfTheMiddleTwoAndARoundWithoutTheRowIsLeftOut() {
        Rounds rounds = new Rounds();
        rounds.add(10_000, round(10_000, 100_000, 50_000));
        rounds.add(10_000, round(10_000, 100_000, 70_000));
        rounds.add(10_000, List.of(row(FLOOR, 10_000, 100_000))); // the product row failed in this round
        rounds.add(10_000, round(10_000, 100_000, 60_000));
        rounds.add(10_000, round(10_000, 100_000, 90_000));

        assertTrue(Double.isNaN(rounds.ratiosToFloor(10_000, PRODUCT)[2]));
        assertEquals(0.65, rounds.medianRatioToFloor(10_000, PRODUCT).getAsDouble(), 1e-9);
        assertEquals(5, rounds.count(10_000));
        assertTrue(rounds.markdown().contains("| 10,000 | " + PRODUCT + " | 50,000 (0.50) | 70,000 (0.70) | – |"),
                rounds.markdown());
    }

    @Test
    void oneRoundMakesNoRoundsTable() {
        Rounds rounds = new Rounds();
        rounds.add(10_000, round(10_000, 100_000, 50_000));
        assertEquals("", rounds.markdown());
        assertEquals(0.5, rounds.medianRatioToFloor(10_000, PRODUCT).getAsDouble(), 1e-9);
    }
}
