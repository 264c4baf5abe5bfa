package io.expansionsignals.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** secretKeyRefs point at documented Secrets/keys; the job gets the env vars it reads. */
class SecretReferencesTest {

    static final Set<String> JOB_ENV = Set.of("KAFKA_SASL_JAAS_CONFIG", "REGISTRY_USERNAME", "REGISTRY_PASSWORD");

    private static Set<String> documentedKeys() {
        Set<String> keys = new TreeSet<>();
        for (ObjectNode secret : Yaml.readAll(DeployPaths.secretsExample())) {
            String name = secret.path("metadata").path("name").asText();
            secret.path("stringData").fieldNames().forEachRemaining(k -> keys.add(name + "/" + k));
        }
        return keys;
    }

    private static List<JsonNode> env(ObjectNode deployment) {
        List<JsonNode> env = new ArrayList<>();
        deployment.path("spec").path("podTemplate").path("spec").path("containers")
                .forEach(c -> c.path("env").forEach(env::add));
        return env;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dev", "prod"})
    void every_secret_key_ref_is_documented_and_job_env_comes_from_secrets(String overlay) {
        ObjectNode deployment = Kustomize.single(Kustomize.render(overlay), "FlinkDeployment");
        Set<String> documented = documentedKeys();
        Set<String> fromSecrets = new TreeSet<>();
        for (JsonNode e : env(deployment)) {
            JsonNode ref = e.path("valueFrom").path("secretKeyRef");
            if (!ref.isMissingNode()) {
                String key = ref.path("name").asText() + "/" + ref.path("key").asText();
                assertTrue(documented.contains(key), key + " is not in secrets.example.yaml " + documented);
                fromSecrets.add(e.path("name").asText());
            } else {
                assertFalse(e.path("name").asText().matches(".*(PASSWORD|SECRET|JAAS|TOKEN).*"),
                        e.path("name").asText() + " looks secret but has a literal value");
            }
        }
        assertTrue(fromSecrets.containsAll(JOB_ENV), "job env from secrets: " + fromSecrets);
        assertTrue(fromSecrets.containsAll(Set.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")), fromSecrets.toString());
    }

    @Test
    void example_secrets_hold_only_placeholders() {
        for (ObjectNode secret : Yaml.readAll(DeployPaths.secretsExample())) {
            secret.path("stringData").fields().forEachRemaining(f -> assertTrue(f.getValue().asText().contains("CHANGE_ME"),
                    secret.path("metadata").path("name").asText() + "/" + f.getKey() + " must be a placeholder"));
        }
        assertEquals(3, Yaml.readAll(DeployPaths.secretsExample()).size());
    }
}
