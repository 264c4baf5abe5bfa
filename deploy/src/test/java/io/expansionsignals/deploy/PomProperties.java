package io.expansionsignals.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** Values read from the project's POMs (so deploy files cannot drift from the build). */
final class PomProperties {

    private PomProperties() {}

    static String flinkVersion() throws Exception {
        return property(DeployPaths.repoRoot().resolve("pom.xml"), "flink.version");
    }

    /** job/target/ARTIFACT-VERSION.jar: the shaded jar replaces the main artifact. */
    static String jobJarPath() throws Exception {
        Document job = parse(DeployPaths.repoRoot().resolve("job/pom.xml"));
        Element root = job.getDocumentElement();
        String artifactId = child(root, "artifactId");
        String version = child(root, "version");
        if (version == null) {
            version = child(firstElement(root, "parent"), "version");
        }
        Element build = firstElement(root, "build");
        String finalName = build == null ? null : child(build, "finalName");
        String name = finalName != null ? finalName : artifactId + "-" + version;
        return "job/target/" + name + ".jar";
    }

    static String property(Path pom, String name) throws Exception {
        Element properties = firstElement(parse(pom).getDocumentElement(), "properties");
        String value = properties == null ? null : child(properties, name);
        if (value == null) {
            throw new IllegalStateException(name + " not set in " + pom);
        }
        return value;
    }

    private static Document parse(Path pom) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        try (var in = Files.newInputStream(pom)) {
            return factory.newDocumentBuilder().parse(in);
        }
    }

    private static Element firstElement(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getTagName())) {
                return e;
            }
        }
        return null;
    }

    private static String child(Element parent, String name) {
        Element e = firstElement(parent, name);
        if (e == null) {
            return null;
        }
        String text = e.getTextContent().trim();
        Matcher m = Pattern.compile("\\$\\{([^}]+)}").matcher(text);
        if (m.find()) {
            throw new IllegalStateException(name + " uses a property (" + text + "); extend PomProperties to resolve it");
        }
        return text;
    }
}
