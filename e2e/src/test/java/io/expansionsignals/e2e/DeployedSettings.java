package io.expansionsignals.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Flink settings as deploy/k8s/base's FlinkDeployment sets them, read from the file itself, so the
 * end-to-end cluster runs what production runs and the two cannot drift apart.
 */
final class DeployedSettings {

    static final String FLINK_DEPLOYMENT = "deploy/k8s/base/flinkdeployment.yaml";

    private DeployedSettings() {}

    /** The repository's root: the first directory above the working directory that holds deploy/k8s/base. */
    static Path repoRoot() {
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(FLINK_DEPLOYMENT))) {
                return dir;
            }
        }
        throw new IllegalStateException("no " + FLINK_DEPLOYMENT + " above " + System.getProperty("user.dir"));
    }

    /** The values of {@code keys} in the base FlinkDeployment's flinkConfiguration; a key it does not set is an error. */
    static Map<String, String> of(List<String> keys) {
        JsonNode conf;
        try {
            conf = new ObjectMapper(new YAMLFactory()).readTree(repoRoot().resolve(FLINK_DEPLOYMENT).toFile())
                    .path("spec").path("flinkConfiguration");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : keys) {
            JsonNode value = conf.path(key);
            if (!value.isValueNode()) {
                throw new IllegalStateException(FLINK_DEPLOYMENT + " no longer sets " + key);
            }
            values.put(key, value.asText());
        }
        return values;
    }
}
