package io.expansionsignals.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NameMapTest {

    /** Keys from a small vocabulary, asked for by the shared instance or by an equal copy, as the engine does. */
    private static String key(Random r, boolean copy) {
        String name = "metric-" + r.nextInt(10);
        return copy ? new String(name.toCharArray()) : SharedNames.of(name);
    }

    @Test
    void behavesAsAHashMapUnderRandomUse() {
        Random r = new Random(43);
        for (int round = 0; round < 200; round++) {
            NameMap<String> map = new NameMap<>(r.nextInt(3));
            Map<String, String> expected = new HashMap<>();
            for (int op = 0; op < 300; op++) {
                String k = key(r, r.nextBoolean());
                String v = "v" + r.nextInt(50);
                switch (r.nextInt(10)) {
                    case 0, 1, 2 -> assertEquals(expected.put(k, v), map.put(k, v));
                    case 3 -> assertEquals(expected.remove(k), map.remove(k));
                    case 4 -> assertEquals(expected.get(k), map.get(k));
                    case 5 -> assertEquals(expected.computeIfAbsent(k, x -> v), map.computeIfAbsent(k, x -> v));
                    case 6 -> assertEquals(expected.values().removeIf(x -> x.endsWith("7")),
                            map.values().removeIf(x -> x.endsWith("7")));
                    case 7 -> assertEquals(expected.merge(k, v, String::concat), map.merge(k, v, String::concat));
                    case 8 -> {
                        if (r.nextInt(20) == 0) {
                            expected.clear();
                            map.clear();
                        }
                    }
                    default -> {
                        // remove through the entry iterator, and write through an entry
                        Iterator<Map.Entry<String, String>> it = map.entrySet().iterator();
                        while (it.hasNext()) {
                            Map.Entry<String, String> e = it.next();
                            if (e.getKey().equals(k)) {
                                it.remove();
                                expected.remove(k);
                            } else if (e.getValue().length() == 2) {
                                e.setValue(e.getValue() + "x");
                                expected.put(e.getKey(), expected.get(e.getKey()) + "x");
                            }
                        }
                    }
                }
                assertEquals(expected.size(), map.size());
                assertEquals(expected, map);
                assertEquals(map, expected);
                assertEquals(expected.hashCode(), map.hashCode());
                for (int i = 0; i < map.size(); i++) {
                    assertSame(map.get(map.keyAt(i)), map.valueAt(i));
                }
            }
        }
    }

    @Test
    void keepsInsertionOrderAndTheValuesThemselves() {
        NameMap<MetricState> map = new NameMap<>();
        MetricState calls = new MetricState();
        MetricState storage = new MetricState();
        MetricState seats = new MetricState();
        map.put("api_calls", calls);
        map.put("storage_gb", storage);
        map.put("seats", seats);
        map.remove("storage_gb");
        map.put("storage_gb", storage);

        assertEquals("api_calls", map.keyAt(0));
        assertEquals("seats", map.keyAt(1));
        assertEquals("storage_gb", map.keyAt(2));
        assertSame(storage, map.valueAt(2));
        assertSame(calls, map.get(new String("api_calls".toCharArray())));
        assertNull(map.get("absent"));
        assertThrows(NullPointerException.class, () -> map.put("x", null));
        assertThrows(NullPointerException.class, () -> map.put(null, calls));
        map.values().clear();
        assertTrue(map.isEmpty());
    }
}
