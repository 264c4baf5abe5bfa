package io.expansionsignals.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FlushOrderTest {
    /** RocksDB's order of Flink's string keys for ASCII ids: key group, length, characters. */
    private static final Comparator<Object[]> ROCKSDB_ORDER = Comparator.<Object[]>comparingInt(k -> (Integer) k[0])
            .thenComparingInt(k -> ((String) k[1]).length()).thenComparing(k -> (String) k[1]);

    @Test
    void sortsByKeyGroupThenLengthThenCharacters() {
        FlushOrder order = new FlushOrder();
        List<Object[]> keys = List.of(new Object[] {1, "b-7"}, new Object[] {0, "a-10"}, new Object[] {1, "c-1"},
                new Object[] {0, "z-9"}, new Object[] {1, "b-11"}, new Object[] {2, "a"});
        keys.forEach(k -> order.add((Integer) k[0], (String) k[1]));

        assertEquals(List.of("z-9", "a-10", "b-7", "c-1", "b-11", "a"), inOrder(order, keys));
    }

    /** Past the arrays' first size, over several flushes of the same instance, with many equal groups and lengths. */
    @Test
    void agreesWithTheReferenceOrderOnRandomFlushes() {
        FlushOrder order = new FlushOrder();
        Random r = new Random(38);
        for (int flush = 0; flush < 5; flush++) {
            order.clear();
            List<Object[]> keys = new ArrayList<>();
            int n = 1 + r.nextInt(5_000);
            for (int i = 0; i < n; i++) {
                Object[] k = {r.nextInt(8), "acct-" + r.nextInt(100_000)};
                keys.add(k);
                order.add((Integer) k[0], (String) k[1]);
            }
            List<String> expected = keys.stream().sorted(ROCKSDB_ORDER).map(k -> (String) k[1]).toList();

            assertEquals(n, order.size());
            assertEquals(expected, inOrder(order, keys), "flush " + flush);
        }
    }

    private static List<String> inOrder(FlushOrder order, List<Object[]> keys) {
        int[] sorted = order.sorted();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            out.add((String) keys.get(sorted[i])[1]);
        }
        return out;
    }
}
