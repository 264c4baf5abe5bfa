package io.expansionsignals.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's benchmark command end to end at toy scale: every row it documents (the three
 * baselines, the three product variants, the latency runs at a share of the live rate, the timer
 * bursts) runs on the real in-process broker, registry and MiniCluster, and the result files hold
 * figures that only a working measurement gives. What it guards is the command, not a speed: the
 * figures here are far too small to mean anything about performance.
 */
class BenchmarkITCase {
    private static final int ACCOUNTS = 2_000;
    private static final int EVENTS = 30_000;
    private static final List<String> ROWS = List.of("transport ceiling (consumer + Avro decode)",
            "domain ceiling (AccountEngine + HashMap)", LatencyRun.FLOOR, ProductJob.Variant.ROCKSDB_EO.label,
            ProductJob.Variant.HASHMAP_EO.label, ProductJob.Variant.ROCKSDB_ALO.label);

    @TempDir
    static Path dir;
    static String report;

    @BeforeAll
    static void runBenchmark() throws Exception {
        BenchArgs args = BenchArgs.parse(new String[] {"--events", String.valueOf(EVENTS), "--accounts",
                String.valueOf(ACCOUNTS), "--rounds", "1", "--no-warm-up", "--latency-fraction", "0.5",
                "--latency-rates", "0", "--latency-seconds", "3", "--out", dir.resolve("out").toString()});
        Files.createDirectories(dir.resolve("work"));
        report = Benchmark.run(args, dir.resolve("work"));
    }

    @Test
    void everyRowMeasuresTheWholeInput() throws Exception {
        Map<String, Map<String, String>> rows = byName(csv(dir.resolve("out/latest.csv")), "variant");
        assertEquals(ROWS, new ArrayList<>(rows.keySet()));
        for (Map<String, String> row : rows.values()) {
            assertEquals(String.valueOf(ACCOUNTS), row.get("accounts"));
            assertTrue(Long.parseLong(row.get("events")) >= EVENTS, () -> "a row stopped short of its input: " + row);
            assertTrue(Long.parseLong(row.get("events_per_s")) > 0, () -> "no rate: " + row);
        }
        for (String product : ROWS.subList(3, 6)) {
            Map<String, String> row = rows.get(product);
            assertTrue(Double.parseDouble(row.get("vs_floor_median_of_rounds")) > 0, () -> "no ratio to the floor: " + row);
            // An account's state (subscriptions, metrics, health) is far more than the floor's one counter.
            assertTrue(Long.parseLong(row.get("state_bytes_per_live_account"))
                    > 4 * Long.parseLong(rows.get(LatencyRun.FLOOR).get("state_bytes_per_live_account")), () -> "state: " + row);
        }
        assertTrue(report.contains("| 2,000 | " + ProductJob.Variant.ROCKSDB_EO.label + " |"), report);
    }

    @Test
    void exactlyOnceOutputsWaitForTheCheckpointAtLeastOnceOnesDoNot() throws Exception {
        Map<String, Map<String, String>> rows = byName(csv(dir.resolve("out/latest.csv")), "variant");
        long exactlyOnceP50 = Long.parseLong(rows.get(ProductJob.Variant.ROCKSDB_EO.label).get("latency_p50_ms"));
        long atLeastOnceP99 = Long.parseLong(rows.get(ProductJob.Variant.ROCKSDB_ALO.label).get("latency_p99_ms"));
        long floorP50 = Long.parseLong(rows.get(LatencyRun.FLOOR).get("latency_p50_ms"));
        assertTrue(atLeastOnceP99 > 0 && exactlyOnceP50 > atLeastOnceP99,
                () -> "exactly-once p50 " + exactlyOnceP50 + " ms, at-least-once p99 " + atLeastOnceP99 + " ms");
        // Committed at checkpoints every 2 s: on average half an interval's wait, more than a few ms.
        assertTrue(floorP50 > FlinkRun.CHECKPOINT_INTERVAL.toMillis() / 4, () -> "floor p50 " + floorP50 + " ms");
    }

    @Test
    void timerBurstsFireEveryAccountsDueWork() throws Exception {
        List<Map<String, String>> rounds = csv(dir.resolve("out/latest-timers.csv"));
        Map<String, List<Map<String, String>>> byJob = rounds.stream()
                .collect(Collectors.groupingBy(r -> r.get("job"), LinkedHashMap::new, Collectors.toList()));
        assertEquals(List.of(TimerBurst.FLOOR, TimerBurst.PRODUCT),
                new ArrayList<>(byJob.keySet()));
        for (List<Map<String, String>> job : byJob.values()) {
            assertEquals(3, job.size());
            // Every round reads the same input and jumps the same days, so fires the same work.
            assertEquals(1, job.stream().map(r -> r.get("timers")).distinct().count(), () -> "rounds differ: " + job);
            assertTrue(Long.parseLong(job.get(0).get("timers")) > 0);
            assertTrue(Long.parseLong(job.get(0).get("outputs")) >= Long.parseLong(job.get(0).get("timers")));
        }
    }

    @Test
    void writesThePlot() throws Exception {
        byte[] png = Files.readAllBytes(dir.resolve("out/latest.png"));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4));
        assertTrue(png.length > 5_000, "a plot with axes, lines and a legend, not an empty image");
    }

    /** The rows of a result CSV by column name; a quoted field may hold commas. */
    static List<Map<String, String>> csv(Path file) throws Exception {
        List<String> lines = Files.readAllLines(file);
        List<String> header = fields(lines.get(0));
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            List<String> values = fields(line);
            assertEquals(header.size(), values.size(), line);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                row.put(header.get(i), values.get(i));
            }
            rows.add(row);
        }
        return rows;
    }

    private static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                out.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        out.add(field.toString());
        return out;
    }

    private static Map<String, Map<String, String>> byName(List<Map<String, String>> rows, String column) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        rows.forEach(r -> out.put(r.get(column), r));
        return out;
    }
}
