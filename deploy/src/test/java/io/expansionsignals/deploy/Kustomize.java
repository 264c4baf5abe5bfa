package io.expansionsignals.deploy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Renders an overlay with {@code kubectl kustomize} (cached per overlay for the test run). */
final class Kustomize {

    static final List<String> OVERLAYS = List.of("dev", "prod");

    private static final Map<String, List<ObjectNode>> CACHE = new ConcurrentHashMap<>();

    private Kustomize() {}

    static String kubectl() {
        String fromEnv = System.getenv("KUBECTL");
        if (fromEnv != null && Files.isExecutable(Path.of(fromEnv))) {
            return fromEnv;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path candidate = Path.of(dir, "kubectl");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IllegalStateException("kubectl not found on PATH (needed to render deploy/k8s with its built-in "
                + "kustomize; kubectl >= 1.27). Install kubectl or set KUBECTL=/path/to/kubectl.");
    }

    /** Rendered objects of deploy/k8s/overlays/NAME; each call returns fresh copies. */
    static List<ObjectNode> render(String overlay) {
        List<ObjectNode> docs = CACHE.computeIfAbsent(overlay, Kustomize::renderUncached);
        return docs.stream().map(ObjectNode::deepCopy).toList();
    }

    static String renderText(Path dir) {
        Processes.Result result = Processes.run(DeployPaths.repoRoot(), 120, List.of(kubectl(), "kustomize", dir.toString()));
        if (result.exitCode() != 0) {
            throw new AssertionError("kubectl kustomize " + dir + " failed:\n" + result.output());
        }
        return result.output();
    }

    private static List<ObjectNode> renderUncached(String overlay) {
        return Yaml.readAll(renderText(DeployPaths.overlay(overlay)));
    }

    static List<ObjectNode> ofKind(List<ObjectNode> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
    }

    static ObjectNode single(List<ObjectNode> docs, String kind) {
        List<ObjectNode> found = ofKind(docs, kind);
        if (found.size() != 1) {
            throw new AssertionError("expected exactly one " + kind + ", found " + found.size());
        }
        return found.get(0);
    }
}
