package io.expansionsignals.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Everything rendered except the FlinkDeployment, through strict fabric8 models. */
class KubernetesObjectsTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dev", "prod"})
    void every_other_rendered_object_is_valid(String overlay) {
        List<String> errors = new ArrayList<>();
        for (ObjectNode doc : Kustomize.render(overlay)) {
            if (!"FlinkDeployment".equals(doc.path("kind").asText())) {
                errors.addAll(StrictFabric8.validate(doc));
            }
        }
        assertEquals(List.of(), errors);
    }

    @Test
    void example_secrets_are_valid_secrets() {
        List<String> errors = new ArrayList<>();
        Yaml.readAll(DeployPaths.secretsExample()).forEach(d -> errors.addAll(StrictFabric8.validate(d)));
        assertEquals(List.of(), errors);
    }

    private static ObjectNode podMonitor() {
        return Kustomize.single(Kustomize.render("prod"), "PodMonitor");
    }

    @Test
    void an_unknown_field_fails() {
        ObjectNode pm = podMonitor();
        ObjectNode spec = (ObjectNode) pm.path("spec");
        spec.set("podMetricEndpoints", spec.remove("podMetricsEndpoints"));
        List<String> errors = StrictFabric8.validate(pm);
        assertTrue(errors.stream().anyMatch(e -> e.contains("podMetricEndpoints")), errors.toString());
    }

    @Test
    void an_unknown_nested_field_fails() {
        ObjectNode pm = podMonitor();
        ((ObjectNode) pm.path("spec").path("podMetricsEndpoints").get(0)).put("intervall", "30s");
        List<String> errors = StrictFabric8.validate(pm);
        assertTrue(errors.stream().anyMatch(e -> e.contains("intervall")), errors.toString());
    }

    @Test
    void a_number_where_a_string_belongs_fails() {
        ObjectNode pm = podMonitor();
        ((ObjectNode) pm.path("spec").path("podMetricsEndpoints").get(0)).put("interval", 30);
        assertTrue(!StrictFabric8.validate(pm).isEmpty(), "interval: 30 must not be coerced to \"30\"");
    }

    @Test
    void a_missing_name_fails() {
        ObjectNode sa = Kustomize.single(Kustomize.render("prod"), "ServiceAccount");
        ((ObjectNode) sa.path("metadata")).remove("name");
        List<String> errors = StrictFabric8.validate(sa);
        assertTrue(errors.stream().anyMatch(e -> e.contains("metadata.name")), errors.toString());
    }

    @Test
    void a_kind_without_a_validator_fails() {
        ObjectNode sa = Kustomize.single(Kustomize.render("prod"), "ServiceAccount");
        sa.put("kind", "ServiceAcount");
        assertEquals(1, StrictFabric8.validate(sa).size());
    }
}
