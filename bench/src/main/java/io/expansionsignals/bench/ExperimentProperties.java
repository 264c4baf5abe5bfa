package io.expansionsignals.bench;

import java.util.SortedMap;
import java.util.TreeMap;

/** The benchmark's experiment switches: system properties under one prefix, such as {@code -Dbench.flink.<key>=<value>}. */
final class ExperimentProperties {
    private ExperimentProperties() {}

    /** Every system property that starts with {@code prefix}, keyed by the rest of its name, in key order. */
    static SortedMap<String, String> withPrefix(String prefix) {
        SortedMap<String, String> out = new TreeMap<>();
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith(prefix))
                .forEach(k -> out.put(k.substring(prefix.length()), System.getProperty(k)));
        return out;
    }
}
