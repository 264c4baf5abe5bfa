package io.expansionsignals.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the job and SPEC §5 need from the FlinkDeployment, beyond the schema. */
class FlinkDeploymentContentTest {

    static final List<String> REQUIRED_ARGS = List.of(
            "--kafka.bootstrap-servers", "--registry.url", "--kafka.group-id", "--checkpoint.interval",
            "--topic.subscription-events", "--topic.usage-events", "--topic.engagement-events",
            "--topic.expansion-signals", "--topic.churn-risk-signals", "--topic.account-health",
            "--topic.mrr-movements", "--topic.portfolio-metrics", "--topic.dead-letters");

    private static JsonNode spec(String overlay) {
        return Kustomize.single(Kustomize.render(overlay), "FlinkDeployment").path("spec");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dev", "prod"})
    void runs_the_job_jar_of_the_image_in_application_mode(String overlay) {
        JsonNode spec = spec(overlay);
        assertEquals("v2_2", spec.path("flinkVersion").asText());
        assertEquals("local:///opt/flink/usrlib/expansion-signals-job.jar", spec.path("job").path("jarURI").asText());
        assertEquals("io.expansionsignals.ExpansionSignalsJob", spec.path("job").path("entryClass").asText());
        assertEquals("savepoint", spec.path("job").path("upgradeMode").asText());
        assertEquals("running", spec.path("job").path("state").asText());
        ObjectNode sa = Kustomize.single(Kustomize.render(overlay), "ServiceAccount");
        assertEquals(sa.path("metadata").path("name").asText(), spec.path("serviceAccount").asText());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dev", "prod"})
    void flink_configuration_has_state_ha_restart_and_metrics_settings(String overlay) {
        JsonNode conf = spec(overlay).path("flinkConfiguration");
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("state.backend.type", "rocksdb");
        expected.put("execution.checkpointing.incremental", "true");
        expected.put("high-availability.type", "kubernetes");
        expected.put("restart-strategy.type", "exponential-delay");
        expected.put("pipeline.generic-types", "false");
        expected.put("env.java.opts.taskmanager", "-XX:+UseParallelGC -XX:+UseTransparentHugePages"); // docs/performance-history.md, changes 17 and 32
        expected.put("metrics.reporter.prom.factory.class", "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        expected.put("metrics.reporter.prom.port", "9249");
        expected.put("state.backend.rocksdb.metrics.estimate-live-data-size", "true");
        expected.put("state.backend.rocksdb.metrics.column-family-as-variable", "true");
        expected.forEach((key, value) -> assertEquals(value, conf.path(key).asText(null), key));
        for (String dir : List.of("execution.checkpointing.dir", "execution.checkpointing.savepoint-dir",
                "high-availability.storageDir")) {
            assertTrue(conf.path(dir).asText("").startsWith("s3://"), dir + " must be on S3");
        }
        conf.fields().forEachRemaining(e -> assertTrue(e.getValue().isTextual(),
                "flinkConfiguration values are strings: " + e.getKey()));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dev", "prod"})
    void timer_bursts_do_not_hold_checkpoints_and_steady_checkpoints_stay_aligned(String overlay) {
        JsonNode conf = spec(overlay).path("flinkConfiguration");
        assertEquals("true", conf.path("execution.checkpointing.unaligned.enabled").asText(null));
        assertEquals("true", conf.path("execution.checkpointing.unaligned.interruptible-timers.enabled").asText(null));
        // unaligned checkpoints need exactly-once checkpointing and one checkpoint at a time
        assertEquals("EXACTLY_ONCE", conf.path("execution.checkpointing.mode").asText("EXACTLY_ONCE"));
        assertEquals("1", conf.path("execution.checkpointing.max-concurrent-checkpoints").asText("1"));
        // 0 would make every checkpoint unaligned, storing in-flight records each time
        long alignment = millis(conf, "execution.checkpointing.aligned-checkpoint-timeout");
        assertTrue(alignment > 0, "checkpoints start aligned");
        assertTrue(alignment < millis(conf, "execution.checkpointing.timeout"), "a stuck barrier turns unaligned before it expires");
    }

    /** A Flink duration setting such as "10 s", "500 ms" or "5 min", in milliseconds. */
    private static long millis(JsonNode conf, String key) {
        String v = conf.path(key).asText("");
        var m = java.util.regex.Pattern.compile("(\\d+)\\s*(ms|s|min)").matcher(v.trim());
        assertTrue(m.matches(), key + " is a duration in ms, s or min: '" + v + "'");
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> n;
            case "s" -> n * 1_000;
            default -> n * 60_000;
        };
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dev", "prod"})
    void every_job_argument_is_present_once_with_a_value(String overlay) {
        List<String> args = new ArrayList<>();
        spec(overlay).path("job").path("args").forEach(a -> args.add(a.asText()));
        for (String flag : REQUIRED_ARGS) {
            assertEquals(1, args.stream().filter(flag::equals).count(), flag + " in " + args);
            int i = args.indexOf(flag);
            assertTrue(i + 1 < args.size() && !args.get(i + 1).isBlank() && !args.get(i + 1).startsWith("--"),
                    flag + " needs a value");
        }
        assertEquals(REQUIRED_ARGS.size() * 2, args.size(), "only known flags, each with one value: " + args);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dev", "prod"})
    void pods_expose_the_metrics_port_the_pod_monitor_scrapes(String overlay) {
        List<ObjectNode> docs = Kustomize.render(overlay);
        JsonNode container = spec(overlay).path("podTemplate").path("spec").path("containers").get(0);
        assertEquals("flink-main-container", container.path("name").asText());
        JsonNode port = container.path("ports").get(0);
        assertEquals(9249, port.path("containerPort").asInt());
        ObjectNode podMonitor = Kustomize.single(docs, "PodMonitor");
        assertEquals(port.path("name").asText(), podMonitor.path("spec").path("podMetricsEndpoints").get(0).path("port").asText());
        assertEquals("expansion-signals", podMonitor.path("spec").path("selector").path("matchLabels").path("app").asText(),
                "the operator labels JM/TM pods app=<FlinkDeployment name>");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dev", "prod"})
    void s3_plugin_matches_the_flink_version(String overlay) throws Exception {
        String flinkVersion = PomProperties.flinkVersion();
        JsonNode env = spec(overlay).path("podTemplate").path("spec").path("containers").get(0).path("env");
        String plugins = "";
        for (JsonNode e : env) {
            if ("ENABLE_BUILT_IN_PLUGINS".equals(e.path("name").asText())) {
                plugins = e.path("value").asText();
            }
        }
        assertTrue(plugins.matches(".*flink-s3-fs-(hadoop|presto)-" + java.util.regex.Pattern.quote(flinkVersion) + "\\.jar.*"),
                "ENABLE_BUILT_IN_PLUGINS=" + plugins + " must name the s3 plugin of Flink " + flinkVersion);
    }

    @Test
    void prod_is_bigger_than_dev() {
        JsonNode dev = spec("dev");
        JsonNode prod = spec("prod");
        assertEquals(1, dev.path("job").path("parallelism").asInt());
        assertEquals("1", dev.path("flinkConfiguration").path("taskmanager.numberOfTaskSlots").asText(), "dev: one TM");
        assertTrue(prod.path("job").path("parallelism").asInt() > dev.path("job").path("parallelism").asInt());
        int prodTms = prod.path("job").path("parallelism").asInt()
                / Integer.parseInt(prod.path("flinkConfiguration").path("taskmanager.numberOfTaskSlots").asText());
        assertTrue(prodTms > 1, "prod runs several TaskManagers");
        assertTrue(prod.path("taskManager").path("resource").path("cpu").asDouble()
                > dev.path("taskManager").path("resource").path("cpu").asDouble());
        assertFalse(prod.path("image").asText().endsWith(":dev"), "prod pins a release image");
    }
}
