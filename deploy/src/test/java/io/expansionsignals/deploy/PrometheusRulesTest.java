package io.expansionsignals.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PrometheusRulesTest {

    private static ObjectNode rule() {
        return Kustomize.single(Kustomize.render("prod"), "PrometheusRule");
    }

    private static List<JsonNode> alerts(JsonNode rule) {
        List<JsonNode> alerts = new ArrayList<>();
        rule.path("spec").path("groups").forEach(g -> g.path("rules").forEach(alerts::add));
        return alerts;
    }

    @Test
    void promtool_accepts_the_rules() {
        Processes.Result result = Promtool.checkRules(rule());
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("SUCCESS"), result.output());
    }

    @Test
    void promtool_rejects_bad_promql() {
        ObjectNode rule = rule();
        ((ObjectNode) rule.path("spec").path("groups").get(0).path("rules").get(0))
                .put("expr", "sum(rate(flink_jobmanager_job_numRestarts[5m]) > ");
        Processes.Result result = Promtool.checkRules(rule);
        assertNotEquals(0, result.exitCode(), result.output());
    }

    @Test
    void promtool_rejects_a_bad_duration() {
        ObjectNode rule = rule();
        ((ObjectNode) rule.path("spec").path("groups").get(0).path("rules").get(0)).put("for", "5 minutes");
        assertNotEquals(0, Promtool.checkRules(rule).exitCode());
    }

    @Test
    void every_alert_has_severity_summary_description_and_a_runbook_that_exists() throws Exception {
        String readme = Files.readString(DeployPaths.deployDir().resolve("k8s/README.md")).toLowerCase(Locale.ROOT);
        List<JsonNode> alerts = alerts(rule());
        assertTrue(alerts.size() >= 8, "alerts: " + alerts.size());
        for (JsonNode alert : alerts) {
            String name = alert.path("alert").asText();
            assertTrue(Set.of("critical", "warning", "info").contains(alert.path("labels").path("severity").asText()), name);
            for (String annotation : List.of("summary", "description", "runbook")) {
                assertTrue(!alert.path("annotations").path(annotation).asText("").isBlank(), name + " needs " + annotation);
            }
            String anchor = name.toLowerCase(Locale.ROOT);
            assertTrue(alert.path("annotations").path("runbook").asText().contains("#" + anchor), name + " runbook anchor");
            assertTrue(readme.contains("### " + anchor), "deploy/k8s/README.md explains " + name);
        }
    }

    @Test
    void the_alerts_an_sre_needs_are_there() {
        Set<String> names = new java.util.TreeSet<>();
        alerts(rule()).forEach(a -> names.add(a.path("alert").asText()));
        for (String needed : List.of("ExpansionSignalsJobNotRunning", "ExpansionSignalsJobRestarting",
                "ExpansionSignalsCheckpointsFailing", "ExpansionSignalsCheckpointSlow",
                "ExpansionSignalsConsumerLagGrowing", "ExpansionSignalsDeadLetterRateHigh",
                "ExpansionSignalsNoSignals", "ExpansionSignalsBackpressureHigh", "ExpansionSignalsGcTimeHigh",
                "ExpansionSignalsAccountCacheMissing")) {
            assertTrue(names.contains(needed), needed + " in " + names);
        }
    }
}
