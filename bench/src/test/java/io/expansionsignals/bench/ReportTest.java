package io.expansionsignals.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {
    @Test
    void latencyTableComparesTheProductsP99WithTheFloorsAtTheSameAccountCount() {
        List<LatencyRun.Result> latencies = List.of(
                new LatencyRun.Result(LatencyRun.PRODUCT, 10_000, 0.7, 40_000, 39_990, 1000, 1700, 3000, 500, 800),
                new LatencyRun.Result(LatencyRun.FLOOR, 10_000, 0.7, 40_000, 39_995, 2000, 1000, 2000, 60, 140));

        String md = Report.markdown(List.of(), latencies);

        assertTrue(md.contains("| 10,000 | " + LatencyRun.PRODUCT + " | 70 % | 40,000 | 39,990 | 1,000 | 1700 | 3000 | 1.50 | 500 | 800 |"), md);
        assertTrue(md.contains("| 10,000 | " + LatencyRun.FLOOR + " | 70 % | 40,000 | 39,995 | 2,000 | 1000 | 2000 | – | 60 | 140 |"), md);
    }

    @Test
    void latencyTableShowsWhereTheKeyedTasksCheckpointTimeGoes() {
        List<LatencyRun.Result> latencies = List.of(
                new LatencyRun.Result(LatencyRun.PRODUCT, 100_000, 0.7, 90_000, 89_990, 1000, 1900, 2700, 545, 900,
                        new LatencyRun.KeyedPath(195, 64, 84, 88)),
                new LatencyRun.Result(LatencyRun.FLOOR, 100_000, 0.7, 90_000, 89_995, 2000, 1000, 2050, 60, 140,
                        new LatencyRun.KeyedPath(-1, 12, 5)));

        String md = Report.markdown(List.of(), latencies);

        assertTrue(md.contains("| 545 | 900 | 195 (64) / 84 / 88 |"), md);
        assertTrue(md.contains("| 60 | 140 | – / 12 / 5 |"), md);
    }

    @Test
    void csvCarriesEachVariantsOwnLatency() {
        Measurement product = new Measurement(LatencyRun.PRODUCT, 10_000, 1_000_000, 10, 20, 300, 1_000_000);
        Measurement floor = new Measurement(LatencyRun.FLOOR, 10_000, 1_000_000, 5, 10, 100, 100_000);
        List<LatencyRun.Result> latencies = List.of(
                new LatencyRun.Result(LatencyRun.PRODUCT, 10_000, 0.7, 40_000, 39_990, 1000, 1700, 3000, 500, 800),
                new LatencyRun.Result(LatencyRun.FLOOR, 10_000, 0.7, 40_000, 39_995, 2000, 1000, 2000, 60, 140));

        String[] lines = Report.csv(List.of(product, floor), latencies).split("\n");

        assertTrue(lines[1].endsWith(",1700,3000,-1,-1.000,-1,-1,-1"), lines[1]);
        assertTrue(lines[2].endsWith(",1000,2000,-1,-1.000,-1,-1,-1"), lines[2]);
    }

    @Test
    void otherProductVariantsGetTheirOwnLatencyRowsAndCsvColumns() {
        String hashMap = ProductJob.Variant.HASHMAP_EO.label;
        String atLeastOnce = ProductJob.Variant.ROCKSDB_ALO.label;
        Measurement heap = new Measurement(hashMap, 10_000, 1_000_000, 8, 16, 300, 1_000_000);
        Measurement alo = new Measurement(atLeastOnce, 10_000, 1_000_000, 9, 18, 300, 1_000_000);
        List<LatencyRun.Result> latencies = List.of(
                new LatencyRun.Result(LatencyRun.PRODUCT, 10_000, 0.7, 40_000, 39_990, 1000, 1700, 3000, 500, 800),
                new LatencyRun.Result(LatencyRun.FLOOR, 10_000, 0.7, 40_000, 39_995, 2000, 1000, 2000, 60, 140),
                new LatencyRun.Result(hashMap, 10_000, 0.7, 40_000, 39_990, 1000, 1600, 2800, 450, 700),
                new LatencyRun.Result(atLeastOnce, 10_000, 0.7, 40_000, 39_990, 1000, 40, 300, 480, 750));

        String md = Report.markdown(List.of(), latencies, List.of(new LatencyRun.Capacity(10_000, 100_000, 57_143)));
        String[] csv = Report.csv(List.of(heap, alo), latencies).split("\n");

        assertTrue(md.contains("| 10,000 | " + hashMap + " | 70 % | 40,000 | 39,990 | 1,000 | 1600 | 2800 | 1.40 | 450 | 700 |"), md);
        assertTrue(md.contains("| 10,000 | " + atLeastOnce + " | 70 % | 40,000 | 39,990 | 1,000 | 40 | 300 | 0.15 | 480 | 750 |"), md);
        assertTrue(md.contains("Shares are of " + LatencyRun.PRODUCT + "'s sustained rate"), md);
        assertTrue(csv[1].endsWith(",1600,2800,-1,-1.000,-1,-1,-1"), csv[1]);
        assertTrue(csv[2].endsWith(",40,300,-1,-1.000,-1,-1,-1"), csv[2]);
    }

    @Test
    void aTableOfRocksDbAndTheFloorAloneSaysNothingOfOtherVariants() {
        List<LatencyRun.Result> latencies = List.of(
                new LatencyRun.Result(LatencyRun.PRODUCT, 10_000, 0.7, 40_000, 39_990, 1000, 1700, 3000, 500, 800),
                new LatencyRun.Result(LatencyRun.FLOOR, 10_000, 0.7, 40_000, 39_995, 2000, 1000, 2000, 60, 140));

        assertFalse(Report.markdown(List.of(), latencies, List.of()).contains("Shares are of"));
    }

    @Test
    void eachJobHasAShortNameInThePlotsLegendAndADumpFileOfItsOwn() {
        String[][] labelLegendFile = {
            {LatencyRun.PRODUCT, "product", "product"},
            {LatencyRun.FLOOR, "floor", "floor"},
            {ProductJob.Variant.HASHMAP_EO.label, "HashMap + exactly-once", "hashmap-exactly-once"},
            {ProductJob.Variant.ROCKSDB_ALO.label, "RocksDB + at-least-once", "rocksdb-at-least-once"}};
        for (String[] job : labelLegendFile) {
            assertEquals(job[1], Plot.legendName(job[0]));
            assertEquals(job[2], LatencyRun.dumpName(job[0]));
        }
    }

    @Test
    void csvTakesTheHighestLoadWhenSeveralWereMeasured() {
        Measurement product = new Measurement(LatencyRun.PRODUCT, 10_000, 1_000_000, 10, 20, 300, 1_000_000);
        List<LatencyRun.Result> latencies = List.of(
                new LatencyRun.Result(LatencyRun.PRODUCT, 10_000, 0.35, 20_000, 19_990, 1000, 1500, 2100, 300, 400),
                new LatencyRun.Result(LatencyRun.PRODUCT, 10_000, 0.7, 40_000, 39_990, 1000, 1700, 3000, 500, 800));

        String[] lines = Report.csv(List.of(product), latencies).split("\n");

        assertTrue(lines[1].endsWith(",1700,3000,-1,-1.000,-1,-1,-1"), lines[1]);
    }

    @Test
    void latencyLoadsSayWhichSustainedRateTheyAreSharesOf() {
        List<LatencyRun.Result> latencies = List.of(
                new LatencyRun.Result(LatencyRun.PRODUCT, 10_000, 0.7, 56_000, 55_990, 1000, 1700, 3000, 500, 800));

        String md = Report.markdown(List.of(), latencies, List.of(new LatencyRun.Capacity(10_000, 100_000, 80_000),
                new LatencyRun.Capacity(100_000, 90_000, 0)));

        assertTrue(md.contains("Load at 10,000 accounts: share of the live sustained rate, 80,000 ev/s (0.80 of the catch-up"
                + " rate 100,000 ev/s)"), md);
        assertTrue(md.contains("Load at 100,000 accounts: share of the catch-up rate, 90,000 ev/s"), md);
        assertEquals(80_000, new LatencyRun.Capacity(1, 100_000, 80_000).base());
        assertEquals(100_000, new LatencyRun.Capacity(1, 100_000, 120_000).base(), "never above the catch-up rate");
        assertEquals(90_000, new LatencyRun.Capacity(1, 90_000, 0).base(), "the catch-up rate when live was not measured");
    }

    @Test
    void stateBytesPerAccountComeFromTheSavepointWhenOneWasTaken() {
        Measurement rocksdb = new Measurement(LatencyRun.PRODUCT, 10_000, 1_000_000, 10, 20, 300, 3_000_000)
                .withLiveAccounts(1_000).withSavepointBytes(1_200_000);

        assertEquals(1_200, rocksdb.stateBytesPerAccount(), "savepoint, not the checkpoint with uncompacted versions");
        assertEquals(3_000, rocksdb.withSavepointBytes(-1).stateBytesPerAccount(), "the checkpoint without a savepoint");
        assertTrue(Report.markdown(List.of(rocksdb), List.of()).contains("| 300 | 3.0 | 1.2 | 1,200 |"));
    }

    @Test
    void latencyBaseIsLiveOrCatchUp() {
        assertTrue(BenchArgs.parse(new String[0]).liveBase());
        assertFalse(BenchArgs.parse(new String[] {"--latency-base", "catch-up"}).liveBase());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> BenchArgs.parse(new String[] {"--latency-base", "backlog"}));
    }

    @Test
    void laterRatesAreComparedWithTheFloorsLaterRate() {
        Measurement product = new Measurement(LatencyRun.PRODUCT, 10_000, 1_000_000, 20, 30, 300, 1_000_000)
                .withLaterRate(60_000);
        Measurement floor = new Measurement(LatencyRun.FLOOR, 10_000, 1_000_000, 5, 10, 100, 100_000)
                .withLaterRate(240_000);

        String md = Report.markdown(List.of(product, floor), List.of());

        // whole input 50 k against the floor's 200 k; later 60 k against 240 k
        assertTrue(md.contains("| 50,000 | 33,333 | – | – | 0.25 | – | 0.33 | 60,000 | 0.25 |"), md);
        assertTrue(md.contains("| 240,000 | – |"), "the floor's own row has no ratio: " + md);
        assertTrue(Report.csv(List.of(product), List.of()).split("\n")[1].endsWith(",-1,-1,60000,-1.000,-1,-1,-1"));
        assertEquals("–", Report.laterRatio(product, floor.withLaterRate(-1)), "not measured for the baseline");
        String[] lines = md.split("\n");
        assertEquals(lines[0].chars().filter(c -> c == '|').count(), lines[1].chars().filter(c -> c == '|').count(),
                "one alignment cell per column: " + lines[1]);
    }

    @Test
    void laterRatesStartAtAShareOfTheInputBelowOne() {
        assertEquals(0.3, BenchArgs.parse(new String[0]).laterFrom());
        assertEquals(0.0, BenchArgs.parse(new String[] {"--later-from", "0"}).laterFrom());
        assertEquals(0.5, BenchArgs.parse(new String[] {"--later-from", "0.5"}).laterFrom());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> BenchArgs.parse(new String[] {"--later-from", "1"}));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> BenchArgs.parse(new String[] {"--later-from", "-0.1"}));
    }

    @Test
    void latencyFractionsParseAscendingAndZeroMeansNone() {
        assertEquals(List.of(0.35, 0.7), BenchArgs.fractions("0.7,0.35"));
        assertEquals(List.of(), BenchArgs.fractions("0"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> BenchArgs.fractions("1.5"));
    }

    @Test
    void checkpointSummaryTakesTheMedianOfEachSlowestSubtaskFigure() {
        List<CheckpointSpans.Checkpoint> checkpoints = List.of(
                new CheckpointSpans.Checkpoint(0, 400, true, Map.of("maxSyncCheckpointDurationMs", 100L, "sumSyncCheckpointDurationMs", 900L),
                        Map.of()),
                new CheckpointSpans.Checkpoint(2000, 600, true, Map.of("maxSyncCheckpointDurationMs", 300L), Map.of()),
                new CheckpointSpans.Checkpoint(5000, 500, true, Map.of("maxSyncCheckpointDurationMs", 200L), Map.of()));

        String s = CheckpointSpans.summary(checkpoints);

        assertEquals("3 checkpoints, started every 2000 ms (p50, max 3000), duration p50 500 ms, max 600 ms; median of"
                + " the slowest subtask:"
                + " SyncCheckpointDuration 200 ms (max 300)", s);
    }

    @Test
    void checkpointSummaryNamesTheTasksWithANotablePart() {
        CheckpointSpans.reset(Map.of("aa", "account engine", "bb", "portfolio metrics"));
        Map<String, Long> engine1 = Map.of("maxCheckpointStartDelayMs", 5L, "maxSyncCheckpointDurationMs", 300L,
                "maxAsyncCheckpointDurationMs", 80L, "sumSyncCheckpointDurationMs", 500L);
        Map<String, Long> engine2 = Map.of("maxCheckpointStartDelayMs", 7L, "maxSyncCheckpointDurationMs", 100L,
                "maxAsyncCheckpointDurationMs", 60L);
        Map<String, Long> engine3 = Map.of("maxCheckpointStartDelayMs", 9L, "maxSyncCheckpointDurationMs", 200L,
                "maxAsyncCheckpointDurationMs", 70L, "maxAlignmentDurationMs", 1L);
        Map<String, Long> quiet = Map.of("maxCheckpointStartDelayMs", 9L, "maxSyncCheckpointDurationMs", 2L);
        List<CheckpointSpans.Checkpoint> checkpoints = List.of(
                new CheckpointSpans.Checkpoint(0, 400, true, Map.of(), Map.of("aa", engine1, "bb", quiet)),
                new CheckpointSpans.Checkpoint(2000, 300, true, Map.of(), Map.of("aa", engine2, "bb", quiet)),
                new CheckpointSpans.Checkpoint(4000, 350, true, Map.of(), Map.of("aa", engine3)));

        String s = CheckpointSpans.byTask(checkpoints);

        // in checkpoint order, each the median over the checkpoints that report it; the quiet task
        // (every part under 10 ms) is left out; the sums are not parts
        assertEquals("; task account engine: start delay 7 alignment 1 sync 200 async 70 ms", s);
    }

    @Test
    void checkpointSummaryCountsFailedCheckpoints() {
        List<CheckpointSpans.Checkpoint> checkpoints = List.of(
                new CheckpointSpans.Checkpoint(0, 400, true, Map.of(), Map.of()),
                new CheckpointSpans.Checkpoint(2000, 9000, false, Map.of(), Map.of()));

        assertTrue(CheckpointSpans.summary(checkpoints).startsWith("2 checkpoints (1 failed), started every 2000 ms"));
    }

    @Test
    void spansAreKeptWithTheirStatusAndTasksAndTheFirstCompletedOneIsFound() {
        CheckpointSpans.reset(Map.of());
        CheckpointSpans reporter = new CheckpointSpans();
        reporter.notifyOfAddedSpan(org.apache.flink.traces.Span.builder(ReportTest.class, "Checkpoint")
                .setStartTsMillis(1000).setEndTsMillis(9000).setAttribute("checkpointStatus", "FAILED").build());
        reporter.notifyOfAddedSpan(org.apache.flink.traces.Span.builder(ReportTest.class, "Checkpoint")
                .setStartTsMillis(3000).setEndTsMillis(3400).setAttribute("checkpointStatus", "COMPLETED")
                .setAttribute("maxSyncCheckpointDurationMs", 120L)
                .addChild(org.apache.flink.traces.Span.builder(ReportTest.class, "Checkpoint_Task")
                        .setAttribute("jobVertexId", "aa").setAttribute("maxSyncCheckpointDurationMs", 120L))
                .build());
        reporter.notifyOfAddedSpan(org.apache.flink.traces.Span.builder(ReportTest.class, "Other").setStartTsMillis(5000).build());

        assertEquals(2, CheckpointSpans.since(0).size()); // only checkpoint spans
        assertEquals(3000, CheckpointSpans.firstCompletedSince(0).startMillis()); // the failed one is skipped
        assertEquals(Map.of("aa", Map.of("maxSyncCheckpointDurationMs", 120L)), CheckpointSpans.firstCompletedSince(0).tasks());
        assertEquals(null, CheckpointSpans.firstCompletedSince(3001));
        assertEquals(1, CheckpointSpans.between(0, 2000).size());
        CheckpointSpans.reset(Map.of());
    }
    @Test
    void aFixedRateRowNamesItsRateAndShareAndPairsWithTheFloorAtThatRate() {
        double fixed = LatencyRun.Result.FIXED_RATE;
        List<LatencyRun.Result> latencies = List.of(
                new LatencyRun.Result(LatencyRun.PRODUCT, 10_000, 0.7, 56_000, 55_990, 1000, 1700, 3000, 500, 800),
                new LatencyRun.Result(LatencyRun.FLOOR, 10_000, 0.7, 56_000, 55_995, 2000, 1000, 2000, 60, 140),
                new LatencyRun.Result(LatencyRun.PRODUCT, 10_000, fixed, 30_000, 29_990, 900, 1400, 2400, 300, 420),
                new LatencyRun.Result(LatencyRun.FLOOR, 10_000, fixed, 30_000, 29_995, 1800, 1000, 1600, 50, 90));

        String md = Report.markdown(List.of(), latencies, List.of(new LatencyRun.Capacity(10_000, 100_000, 80_000)));

        assertTrue(md.contains("| 10,000 | " + LatencyRun.PRODUCT + " | 30,000 ev/s (38 %) | 30,000 | 29,990 | 900 | 1400 | 2400 | 1.50 |"), md);
        assertTrue(md.contains("| 10,000 | " + LatencyRun.PRODUCT + " | 70 % | 56,000 | 55,990 | 1,000 | 1700 | 3000 | 1.50 |"), md);
    }

    @Test
    void csvKeepsTheHighestShareAndAddsTheFixedRateApart() {
        Measurement product = new Measurement(LatencyRun.PRODUCT, 10_000, 1_000_000, 10, 20, 300, 1_000_000);
        List<LatencyRun.Result> latencies = List.of(
                new LatencyRun.Result(LatencyRun.PRODUCT, 10_000, 0.7, 40_000, 39_990, 1000, 1700, 3000, 500, 800),
                new LatencyRun.Result(LatencyRun.PRODUCT, 10_000, LatencyRun.Result.FIXED_RATE, 60_000, 59_990, 1000,
                        1900, 3300, 600, 900),
                new LatencyRun.Result(LatencyRun.PRODUCT, 10_000, LatencyRun.Result.FIXED_RATE, 30_000, 29_990, 1000,
                        1400, 2400, 300, 420));

        String[] lines = Report.csv(List.of(product), latencies).split("\n");

        assertTrue(lines[1].endsWith(",1700,3000,-1,-1.000,30000,1400,2400"), lines[1]);
    }

    @Test
    void aLoadIsAShareOrAFixedRate() {
        var share = new LatencyRun.Result(LatencyRun.PRODUCT, 10_000, 0.35, 20_000, 19_990, 1000, 1500, 2100, 300, 400);
        var fixed = new LatencyRun.Result(LatencyRun.PRODUCT, 10_000, LatencyRun.Result.FIXED_RATE, 20_000, 19_990, 1000,
                1500, 2100, 300, 400);
        var otherRate = new LatencyRun.Result(LatencyRun.FLOOR, 10_000, LatencyRun.Result.FIXED_RATE, 25_000, 24_990, 1000,
                1500, 2100, 300, 400);

        assertEquals("35 %", share.load());
        assertEquals("20,000 ev/s", fixed.load());
        assertFalse(share.atFixedRate());
        assertTrue(fixed.atFixedRate());
        assertFalse(fixed.sameLoad(share), "same rate asked, but one is a share");
        assertFalse(fixed.sameLoad(otherRate));
        assertTrue(share.sameLoad(share));
    }
}
