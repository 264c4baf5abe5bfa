package io.expansionsignals.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the files under test live: the deploy/ module and the repository root. */
final class DeployPaths {

    private DeployPaths() {}

    /** The deploy/ directory (surefire passes it; falls back to the working directory). */
    static Path deployDir() {
        String configured = System.getProperty("deploy.dir");
        Path dir = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        if (!Files.isRegularFile(dir.resolve("Dockerfile"))) {
            throw new IllegalStateException("deploy/ directory not found (looked at " + dir + "); run from the deploy module");
        }
        return dir.toAbsolutePath().normalize();
    }

    static Path repoRoot() {
        return deployDir().getParent();
    }

    static Path overlay(String name) {
        return deployDir().resolve("k8s/overlays").resolve(name);
    }

    static Path crd() {
        return deployDir().resolve("k8s-crds/flinkdeployments.flink.apache.org-v1.yml");
    }

    static Path exposedMetrics() {
        return deployDir().resolve("metrics/exposed-metrics.txt");
    }

    static Path dashboard() {
        return deployDir().resolve("grafana/expansion-signals-dashboard.json");
    }

    static Path prometheusRule() {
        return deployDir().resolve("k8s/base/prometheusrule.yaml");
    }

    static Path secretsExample() {
        return deployDir().resolve("k8s/secrets/secrets.example.yaml");
    }
}
