package io.expansionsignals.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchArgsTest {
    @Test
    void flinkRowsRunFiveRoundsUnlessTold() {
        assertEquals(5, BenchArgs.parse(new String[0]).rounds());
        assertEquals(1, BenchArgs.parse(new String[] {"--rounds", "1"}).rounds());
    }

    @Test
    void aRoundCountBelowOneOrNotANumberNamesTheFlag() {
        for (String bad : List.of("0", "-2", "three")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> BenchArgs.parse(new String[] {"--rounds", bad}));
            assertTrue(e.getMessage().contains("--rounds") && e.getMessage().contains(bad), e.getMessage());
        }
    }

    @Test
    void otherSettingsKeepTheirPlaceBesideRounds() {
        BenchArgs a = BenchArgs.parse(new String[] {"--rounds", "2", "--accounts", "10k,1M", "--later-from", "0.4",
                "--variants", "floor,ROCKSDB_EO"});
        assertEquals(List.of(10_000, 1_000_000), a.accounts());
        assertEquals(0.4, a.laterFrom());
        assertEquals(List.of("floor", "ROCKSDB_EO"), a.variants());
        assertEquals(2, a.rounds());
    }

    @Test
    void latencyRunsAtAFixedRateBesideTheSharesUnlessSwitchedOff() {
        assertEquals(List.of(30_000), BenchArgs.parse(new String[0]).latencyRates());
        assertEquals(List.of(20_000, 45_000), BenchArgs.parse(new String[] {"--latency-rates", "45k,20000"}).latencyRates());
        assertEquals(List.of(), BenchArgs.parse(new String[] {"--latency-rates", "0"}).latencyRates());
        assertEquals(List.of(0.35, 0.7), BenchArgs.parse(new String[] {"--latency-rates", "0"}).latencyFractions());
    }

    @Test
    void aFixedRateThatIsNotAPositiveNumberNamesTheFlag() {
        for (String bad : List.of("fast", "-5", "10000,0")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> BenchArgs.parse(new String[] {"--latency-rates", bad}));
            assertTrue(e.getMessage().contains("--latency-rates") && e.getMessage().contains(bad), e.getMessage());
        }
    }
}
