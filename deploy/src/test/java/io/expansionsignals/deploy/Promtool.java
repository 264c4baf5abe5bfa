package io.expansionsignals.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code promtool check rules} and {@code promtool test rules} on the groups of a PrometheusRule
 * (installs promtool if needed).
 */
final class Promtool {

    private static volatile String path;

    private Promtool() {}

    static synchronized String path() {
        if (path == null) {
            Path script = DeployPaths.deployDir().resolve("scripts/ensure-promtool.sh");
            Processes.Result result = Processes.run(DeployPaths.deployDir(), 600, List.of("bash", script.toString()));
            List<String> lines = result.output().lines().toList();
            String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1).trim();
            if (result.exitCode() != 0 || !Files.isExecutable(Path.of(last))) {
                throw new IllegalStateException("promtool is not available (deploy/scripts/ensure-promtool.sh exit "
                        + result.exitCode() + "):\n" + result.output());
            }
            path = last;
        }
        return path;
    }

    /** Runs promtool on {"groups": spec.groups} of the given PrometheusRule object. */
    static Processes.Result checkRules(JsonNode prometheusRule) {
        return inDirectoryWithRules(prometheusRule, (dir, rules) -> List.of(path(), "check", "rules", rules.toString()));
    }

    /**
     * Runs {@code promtool test rules} with the given unit tests (the {@code tests:} list of a
     * promtool test file, as YAML) against the rule's groups: synthetic series in, alerts expected
     * at given times out.
     */
    static Processes.Result testRules(JsonNode prometheusRule, String testsYaml) {
        return inDirectoryWithRules(prometheusRule, (dir, rules) -> {
            Path tests = dir.resolve("tests.yaml");
            Files.writeString(tests, "rule_files:\n  - " + rules.getFileName() + "\nevaluation_interval: 1m\n" + testsYaml);
            return List.of(path(), "test", "rules", tests.toString());
        });
    }

    private interface Command {
        List<String> in(Path dir, Path rules) throws IOException;
    }

    private static Processes.Result inDirectoryWithRules(JsonNode prometheusRule, Command command) {
        ObjectNode rulesFile = Yaml.MAPPER.createObjectNode();
        rulesFile.set("groups", prometheusRule.path("spec").path("groups"));
        try {
            Path dir = Files.createTempDirectory("expansion-signals-rules");
            try {
                Path rules = dir.resolve("rules.yaml");
                Files.writeString(rules, Yaml.write(rulesFile));
                return Processes.run(dir, 60, command.in(dir, rules));
            } finally {
                try (var files = Files.walk(dir)) {
                    for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(f);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
