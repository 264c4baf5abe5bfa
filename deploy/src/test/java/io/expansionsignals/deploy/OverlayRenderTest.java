package io.expansionsignals.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OverlayRenderTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dev", "prod"})
    void overlay_renders_the_expected_objects_in_its_namespace(String overlay) {
        List<ObjectNode> docs = Kustomize.render(overlay);
        Set<String> kinds = new TreeSet<>();
        docs.forEach(d -> kinds.add(d.path("kind").asText()));
        assertEquals(new TreeSet<>(Set.of("Namespace", "ServiceAccount", "Role", "RoleBinding", "ConfigMap",
                "FlinkDeployment", "PodMonitor", "PrometheusRule")), kinds, "kinds rendered by " + overlay);

        String namespace = Kustomize.single(docs, "Namespace").path("metadata").path("name").asText();
        assertTrue(namespace.startsWith("expansion-signals"), namespace);
        for (ObjectNode doc : docs) {
            if (!"Namespace".equals(doc.path("kind").asText())) {
                assertEquals(namespace, doc.path("metadata").path("namespace").asText(),
                        doc.path("kind").asText() + " must be in the overlay's namespace");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dev", "prod"})
    void no_secret_values_are_rendered(String overlay) {
        assertTrue(Kustomize.ofKind(Kustomize.render(overlay), "Secret").isEmpty(),
                "Secrets are created out of band, never rendered from git");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dev", "prod"})
    void dashboard_configmap_carries_the_raw_dashboard_and_sidecar_label(String overlay) throws Exception {
        ObjectNode cm = Kustomize.single(Kustomize.render(overlay), "ConfigMap");
        assertEquals("1", cm.path("metadata").path("labels").path("grafana_dashboard").asText());
        assertEquals("expansion-signals-dashboard", cm.path("metadata").path("name").asText(),
                "stable name (no hash suffix) so re-applies replace the dashboard instead of duplicating it");
        String json = cm.path("data").path("expansion-signals-dashboard.json").asText();
        assertFalse(json.isEmpty());
        assertEquals(java.nio.file.Files.readString(DeployPaths.dashboard()), json);
    }
}
