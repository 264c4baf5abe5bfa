package io.expansionsignals.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every flink_* name in a dashboard or alert expression is in deploy/metrics/exposed-metrics.txt. */
class MetricNamesTest {

    private static Set<String> exposed() {
        return MetricNames.exposed(DeployPaths.exposedMetrics());
    }

    /** PromQL of the dashboard: panel target expressions and variable queries. */
    static String dashboardPromql(JsonNode dashboard) {
        StringBuilder out = new StringBuilder();
        collect(dashboard, out);
        return out.toString();
    }

    private static void collect(JsonNode node, StringBuilder out) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (Set.of("expr", "query", "definition").contains(e.getKey()) && e.getValue().isTextual()) {
                    out.append(e.getValue().asText()).append('\n');
                } else {
                    collect(e.getValue(), out);
                }
            }
        } else if (node.isArray()) {
            node.forEach(child -> collect(child, out));
        }
    }

    static String rulePromql(JsonNode rule) {
        StringBuilder out = new StringBuilder();
        rule.path("spec").path("groups").forEach(g -> g.path("rules").forEach(r -> out.append(r.path("expr").asText()).append('\n')));
        return out.toString();
    }

    private static JsonNode dashboard() throws Exception {
        return new ObjectMapper().readTree(Files.readString(DeployPaths.dashboard()));
    }

    @Test
    void the_list_is_well_formed() {
        for (String name : exposed()) {
            assertTrue(name.matches("flink_[A-Za-z0-9_]+"), name);
        }
        assertTrue(exposed().size() >= 20);
    }

    @Test
    void dashboard_uses_only_listed_metrics() throws Exception {
        String promql = dashboardPromql(dashboard());
        assertTrue(MetricNames.usedIn(promql).size() >= 15, "dashboard queries found: " + MetricNames.usedIn(promql));
        assertEquals(Set.of(), MetricNames.unknown(promql, exposed()));
    }

    @Test
    void alerts_use_only_listed_metrics() {
        String promql = rulePromql(Yaml.readAll(DeployPaths.prometheusRule()).get(0));
        assertTrue(MetricNames.usedIn(promql).size() >= 10, "alert metrics found: " + MetricNames.usedIn(promql));
        assertEquals(Set.of(), MetricNames.unknown(promql, exposed()));
    }

    @Test
    void an_unknown_metric_name_is_caught() throws Exception {
        ObjectNode dashboard = (ObjectNode) dashboard();
        JsonNode target = dashboard.path("panels").findValue("targets").get(0);
        ((ObjectNode) target).put("expr", "sum(rate(flink_taskmanager_job_task_operator_expansion_signals_record_in[5m]))");
        assertEquals(Set.of("flink_taskmanager_job_task_operator_expansion_signals_record_in"),
                MetricNames.unknown(dashboardPromql(dashboard), exposed()));

        ObjectNode rule = Yaml.readAll(DeployPaths.prometheusRule()).get(0);
        ((ObjectNode) rule.path("spec").path("groups").get(0).path("rules").get(0)).put("expr", "flink_jobmanager_job_numRestart > 0");
        assertEquals(Set.of("flink_jobmanager_job_numRestart"), MetricNames.unknown(rulePromql(rule), exposed()));
    }

    @Test
    void the_dashboard_covers_what_sres_watch() throws Exception {
        String promql = dashboardPromql(dashboard());
        for (String fragment : new String[] {"topic_records_in", "numRecordsOutPerSecond", "signal_type_signals_emitted",
                "reason_dead_letters", "topic_registry_requests", "pendingRecords", "lastCheckpointDuration", "lastCheckpointSize",
                "rocksdb_estimate_live_data_size", "numRestarts", "busyTimeMsPerSecond", "backPressuredTimeMsPerSecond"}) {
            assertTrue(promql.contains(fragment), "dashboard shows " + fragment);
        }
    }
}
