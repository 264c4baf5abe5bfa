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
        assertEachRejectedNamingTheFlag("--rounds", List.of("0", "-2", "three"));
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
        assertEachRejectedNamingTheFlag("--latency-rates", List.of("fast", "-5", "10000,0"));
    }

    @Test
    void latencyRunsMeasureEveryProductVariantUnlessTold() {
        assertEquals(List.of(ProductJob.Variant.ROCKSDB_EO, ProductJob.Variant.HASHMAP_EO, ProductJob.Variant.ROCKSDB_ALO),
                BenchArgs.parse(new String[0]).latencyJobs());
        assertEquals(List.of(ProductJob.Variant.ROCKSDB_ALO, ProductJob.Variant.ROCKSDB_EO),
                BenchArgs.parse(new String[] {"--latency-variants", "ROCKSDB_ALO, ROCKSDB_EO,ROCKSDB_ALO"}).latencyJobs(),
                "in the order given, each once");
    }

    @Test
    void latencyRunsOnlyMeasureVariantsThatAreMeasuredAtAll() {
        BenchArgs a = BenchArgs.parse(new String[] {"--variants", "floor,ROCKSDB_EO"});

        assertEquals(List.of(ProductJob.Variant.ROCKSDB_EO), a.latencyJobs());
        assertEquals(List.of(), BenchArgs.parse(new String[] {"--variants", "floor,ROCKSDB_EO", "--latency-variants",
                "HASHMAP_EO"}).latencyJobs());
    }

    @Test
    void anUnknownLatencyVariantNamesTheFlag() {
        assertEachRejectedNamingTheFlag("--latency-variants", List.of("ROCKSDB", "rocksdb_eo", "ROCKSDB_EO,"));
    }

    @Test
    void timerBurstsJump200DaysUnlessTold() {
        assertEquals(200, BenchArgs.parse(new String[0]).timerBurstDays());
        assertEquals(0, BenchArgs.parse(new String[] {"--timer-burst-days", "0"}).timerBurstDays());
        assertEquals(400, BenchArgs.parse(new String[] {"--timer-burst-days", "400"}).timerBurstDays());
    }

    @Test
    void aTimerBurstThatIsNotADayCountNamesTheFlag() {
        assertEachRejectedNamingTheFlag("--timer-burst-days", List.of("-1", "3651", "200d", "1.5"));
    }

    @Test
    void aCohortBurstRunsOnlyWhenAskedAndCanBeAllThatRuns() {
        assertEquals(0, BenchArgs.parse(new String[0]).cohortBurst());
        BenchArgs cohortOnly = BenchArgs.parse(new String[] {"--cohort-burst", "1M", "--accounts", "none"});
        assertEquals(1_000_000, cohortOnly.cohortBurst());
        assertEquals(List.of(), cohortOnly.accounts());
        assertEquals(List.of(10_000, 100_000), BenchArgs.parse(new String[] {"--cohort-burst", "200000"}).accounts());
    }

    @Test
    void aCohortBurstThatIsNotOneAccountCountNamesTheFlag() {
        assertEachRejectedNamingTheFlag("--cohort-burst", List.of("-1", "5000001", "lots", "none", "1000,2000"));
    }

    /** Each value, given to {@code flag}, fails the parse with a message naming the flag and the value. */
    private static void assertEachRejectedNamingTheFlag(String flag, List<String> values) {
        for (String bad : values) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> BenchArgs.parse(new String[] {flag, bad}));
            assertTrue(e.getMessage().contains(flag) && e.getMessage().contains(bad), e.getMessage());
        }
    }
}
