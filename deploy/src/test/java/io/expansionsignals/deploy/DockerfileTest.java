package io.expansionsignals.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

class DockerfileTest {

    private static List<String> instructions() throws Exception {
        return Files.readAllLines(DeployPaths.deployDir().resolve("Dockerfile")).stream()
                .map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
    }

    private static String only(String instruction) throws Exception {
        List<String> found = instructions().stream().filter(l -> l.startsWith(instruction + " ")).toList();
        assertEquals(1, found.size(), "exactly one " + instruction + " line: " + found);
        return found.get(0).substring(instruction.length() + 1).trim();
    }

    @Test
    void base_image_is_the_flink_version_of_the_build() throws Exception {
        assertEquals("flink:" + PomProperties.flinkVersion() + "-java17", only("FROM"));
    }

    @Test
    void copies_the_shaded_job_jar_to_the_path_the_flink_deployment_runs() throws Exception {
        String[] parts = only("COPY").split("\\s+");
        String source = parts[parts.length - 2];
        String target = parts[parts.length - 1];
        assertEquals(PomProperties.jobJarPath(), source);
        assertEquals("local://" + target, Kustomize.single(Kustomize.render("prod"), "FlinkDeployment")
                .path("spec").path("job").path("jarURI").asText());
        assertTrue(only("COPY").contains("--chown=flink:flink"), "the jar belongs to the flink user");
    }

    @Test
    void runs_as_the_non_root_flink_user() throws Exception {
        List<String> lines = instructions();
        assertEquals("USER flink", lines.get(lines.size() - 1), "last instruction switches to the flink user");
    }
}
