package io.expansionsignals.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rendered FlinkDeployment against the operator 1.15.0 CRD, made strict. */
class FlinkDeploymentSchemaTest {

    private static StrictCrdSchema schema;

    @BeforeAll
    static void loadSchema() {
        schema = StrictCrdSchema.load(DeployPaths.crd(), "v1beta1");
    }

    private static ObjectNode prodDeployment() {
        return Kustomize.single(Kustomize.render("prod"), "FlinkDeployment");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dev", "prod"})
    void rendered_flink_deployment_matches_the_strict_crd_schema(String overlay) {
        ObjectNode deployment = Kustomize.single(Kustomize.render(overlay), "FlinkDeployment");
        assertEquals(List.of(), schema.validate(deployment));
    }

    @Test
    void a_typo_in_a_field_name_fails_with_its_path() {
        ObjectNode deployment = prodDeployment();
        ObjectNode job = (ObjectNode) deployment.path("spec").path("job");
        job.set("upgradeModee", job.remove("upgradeMode"));
        List<String> errors = schema.validate(deployment);
        assertTrue(errors.stream().anyMatch(e -> e.contains("upgradeModee")), errors.toString());
    }

    @Test
    void an_unknown_field_deep_in_the_pod_template_fails() {
        ObjectNode deployment = prodDeployment();
        ObjectNode container = (ObjectNode) deployment.path("spec").path("podTemplate").path("spec").path("containers").get(0);
        container.put("envv", "x");
        List<String> errors = schema.validate(deployment);
        assertTrue(errors.stream().anyMatch(e -> e.contains("envv")), errors.toString());
    }

    @Test
    void a_flink_version_the_operator_does_not_know_fails() {
        ObjectNode deployment = prodDeployment();
        ((ObjectNode) deployment.path("spec")).put("flinkVersion", "v2_3");
        List<String> errors = schema.validate(deployment);
        assertTrue(errors.stream().anyMatch(e -> e.contains("flinkVersion")), errors.toString());
    }

    @Test
    void a_wrong_upgrade_mode_enum_fails() {
        ObjectNode deployment = prodDeployment();
        ((ObjectNode) deployment.path("spec").path("job")).put("upgradeMode", "savepoints");
        List<String> errors = schema.validate(deployment);
        assertTrue(errors.stream().anyMatch(e -> e.contains("upgradeMode")), errors.toString());
    }

    @Test
    void a_wrong_type_fails() {
        ObjectNode deployment = prodDeployment();
        ((ObjectNode) deployment.path("spec").path("job")).put("parallelism", "eight");
        List<String> errors = schema.validate(deployment);
        assertTrue(errors.stream().anyMatch(e -> e.contains("parallelism")), errors.toString());
    }

    @Test
    void a_missing_name_or_wrong_kind_fails() {
        ObjectNode deployment = prodDeployment();
        ((ObjectNode) deployment.path("metadata")).remove("name");
        deployment.put("kind", "FlinkDeploymnet");
        List<String> errors = schema.validate(deployment);
        assertTrue(errors.stream().anyMatch(e -> e.contains("name")), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.contains("kind")), errors.toString());
    }

    @Test
    void flink_configuration_still_accepts_any_key() {
        ObjectNode deployment = prodDeployment();
        ((ObjectNode) deployment.path("spec").path("flinkConfiguration")).put("some.future.option", "1");
        assertEquals(List.of(), schema.validate(deployment));
    }
}
