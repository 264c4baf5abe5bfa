package io.expansionsignals.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NameLongMapTest {

    /** Keys from a small vocabulary, asked for by the shared instance or by an equal copy, as the engine does. */
    private static String key(Random r, boolean copy) {
        String name = "feature-" + r.nextInt(12);
        return copy ? new String(name.toCharArray()) : SharedNames.of(name);
    }

    @Test
    void behavesAsAHashMapUnderRandomUse() {
        Random r = new Random(41);
        for (int round = 0; round < 200; round++) {
            NameLongMap map = new NameLongMap(r.nextInt(3));
            Map<String, Long> expected = new HashMap<>();
            for (int op = 0; op < 300; op++) {
                String k = key(r, r.nextBoolean());
                long v = r.nextLong() % 1_000;
                switch (r.nextInt(9)) {
                    case 0, 1, 2 -> assertEquals(expected.put(k, v), map.put(k, v));
                    case 3 -> assertEquals(expected.remove(k), map.remove(k));
                    case 4 -> assertEquals(expected.get(k), map.get(k));
                    case 5 -> {
                        assertEquals(expected.containsKey(k), map.containsKey(k));
                        assertEquals(v == (long) expected.getOrDefault(k, v + 1), NameLongMap.holds(map, k, v));
                        assertEquals(NameLongMap.holds(expected, k, v), NameLongMap.holds(map, k, v));
                        if (expected.containsKey(k)) {
                            assertTrue(NameLongMap.holds(map, k, expected.get(k)));
                        }
                    }
                    case 6 -> {
                        long limit = r.nextLong() % 1_000;
                        assertEquals(expected.values().removeIf(x -> x < limit), map.values().removeIf(x -> x < limit));
                    }
                    case 7 -> assertEquals(expected.merge(k, v, Long::sum), map.merge(k, v, Long::sum));
                    default -> {
                        // remove through the entry iterator, and write through an entry
                        Iterator<Map.Entry<String, Long>> it = map.entrySet().iterator();
                        while (it.hasNext()) {
                            Map.Entry<String, Long> e = it.next();
                            if (e.getKey().equals(k)) {
                                it.remove();
                                expected.remove(k);
                            } else if (e.getValue() % 2 == 0) {
                                e.setValue(e.getValue() + 1);
                                expected.put(e.getKey(), expected.get(e.getKey()) + 1);
                            }
                        }
                    }
                }
                assertEquals(expected.size(), map.size());
                assertEquals(expected, map);
                assertEquals(map, expected);
                assertEquals(expected.hashCode(), map.hashCode());
            }
        }
    }

    @Test
    void keepsInsertionOrderAndReadsWithoutBoxing() {
        NameLongMap map = new NameLongMap();
        map.put("0.8", 10L);
        map.put("0.9", 20L);
        map.put("1.0", 30L);
        map.remove("0.9");
        map.put("0.9", 40L);
        assertEquals(3, map.size());
        assertEquals("0.8", map.keyAt(0));
        assertEquals("1.0", map.keyAt(1));
        assertEquals("0.9", map.keyAt(2));
        assertEquals(40L, map.valueAt(2));
        assertEquals("{0.8=10, 1.0=30, 0.9=40}", map.toString());
        map.values().clear(); // through the views' iterators, as a HashMap's views clear it
        assertTrue(map.isEmpty());
        map.put("0.8", 1L);
        map.entrySet().clear();
        assertTrue(map.isEmpty());
    }

    @Test
    void findsAnEqualKeyThatIsNotTheStoredInstance() {
        NameLongMap map = new NameLongMap();
        map.put(SharedNames.of("api_calls"), 5L);
        assertEquals(5L, map.get(new String("api_calls".toCharArray())));
        assertEquals(7L, map.getOrDefault("absent", 7L));
        assertNull(map.get(null));
        assertFalse(map.containsKey(42));
    }

    @Test
    void refusesNullsAndMisusedIterators() {
        NameLongMap map = new NameLongMap();
        assertThrows(NullPointerException.class, () -> map.put(null, 1L));
        assertThrows(NullPointerException.class, () -> map.put("a", null));
        map.put("a", 1L);
        Iterator<Map.Entry<String, Long>> it = map.entrySet().iterator();
        assertThrows(IllegalStateException.class, it::remove);
        Map.Entry<String, Long> e = it.next();
        assertThrows(NullPointerException.class, () -> e.setValue(null));
        it.remove();
        assertThrows(IllegalStateException.class, it::remove);
        assertThrows(NoSuchElementException.class, it::next);
        assertThrows(IllegalStateException.class, () -> e.setValue(2L));
        assertTrue(map.isEmpty());
    }
}
