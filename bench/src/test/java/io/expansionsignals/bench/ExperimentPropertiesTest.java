package io.expansionsignals.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ExperimentPropertiesTest {
    private static final List<String> SET = List.of("bench.test-x.b.key", "bench.test-x.a", "bench.test-xy.c");

    @AfterEach
    void clear() {
        SET.forEach(System::clearProperty);
    }

    @Test
    void takesThePrefixOffAndKeepsOnlyItsOwnKeysInOrder() {
        System.setProperty("bench.test-x.b.key", "2");
        System.setProperty("bench.test-x.a", "1");
        System.setProperty("bench.test-xy.c", "other prefix");
        Map<String, String> found = ExperimentProperties.withPrefix("bench.test-x.");
        assertEquals(List.of("a", "b.key"), List.copyOf(found.keySet()));
        assertEquals(List.of("1", "2"), List.copyOf(found.values()));
    }
}
