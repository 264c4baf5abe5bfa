package io.expansionsignals.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code promtool check rules} on the groups of a PrometheusRule (installs promtool if needed). */
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
        ObjectNode rulesFile = Yaml.MAPPER.createObjectNode();
        rulesFile.set("groups", prometheusRule.path("spec").path("groups"));
        try {
            Path file = Files.createTempFile("expansion-signals-rules", ".yaml");
            try {
                Files.writeString(file, Yaml.write(rulesFile));
                return Processes.run(DeployPaths.deployDir(), 60, List.of(path(), "check", "rules", file.toString()));
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
