package io.expansionsignals.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Packs a job class (and its nested classes) from the compiled test classes into a job jar, so
 * the smoke test needs no extra Maven module. Only that class's files go in: the cluster must load
 * everything else from its own lib/, which is what the test is meant to prove.
 */
final class JobJars {

    private JobJars() {}

    static Path build(Class<?> mainClass, Path classesDir, Path jar) throws IOException {
        String prefix = mainClass.getName().replace('.', '/');
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass.getName());

        List<Path> classFiles;
        try (Stream<Path> files = Files.walk(classesDir)) {
            classFiles = files.filter(Files::isRegularFile)
                    .filter(file -> {
                        String entry = entryName(classesDir, file);
                        return entry.equals(prefix + ".class") || entry.startsWith(prefix + "$");
                    })
                    .sorted()
                    .toList();
        }
        if (classFiles.isEmpty()) {
            throw new IllegalStateException("no class files for " + mainClass.getName() + " under " + classesDir);
        }
        Files.createDirectories(jar.getParent());
        try (OutputStream file = Files.newOutputStream(jar);
             JarOutputStream out = new JarOutputStream(file, manifest)) {
            for (Path classFile : classFiles) {
                out.putNextEntry(new JarEntry(entryName(classesDir, classFile)));
                Files.copy(classFile, out);
                out.closeEntry();
            }
        }
        return jar;
    }

    private static String entryName(Path root, Path file) {
        return root.relativize(file).toString().replace(java.io.File.separatorChar, '/');
    }
}
