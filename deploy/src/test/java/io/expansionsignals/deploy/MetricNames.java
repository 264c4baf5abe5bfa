package io.expansionsignals.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The exposed-metrics list and the flink_* names used in PromQL text. */
final class MetricNames {

    static final Pattern FLINK_NAME = Pattern.compile("flink_[A-Za-z0-9_]+");

    private MetricNames() {}

    static Set<String> exposed(Path list) {
        try {
            Set<String> names = new TreeSet<>();
            for (String line : Files.readAllLines(list)) {
                String name = line.replaceFirst("#.*", "").trim();
                if (!name.isEmpty()) {
                    names.add(name);
                }
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Set<String> usedIn(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = FLINK_NAME.matcher(text);
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }

    /** Names used in the text that the list does not contain. */
    static Set<String> unknown(String text, Set<String> exposed) {
        Set<String> unknown = new TreeSet<>(usedIn(text));
        unknown.removeAll(exposed);
        return unknown;
    }
}
