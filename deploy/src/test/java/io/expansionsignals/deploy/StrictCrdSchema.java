package io.expansionsignals.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The operator CRD's openAPIV3Schema, made strict the way the API server is not: unknown
 * fields fail (additionalProperties: false on every node that has properties and neither
 * additionalProperties nor x-kubernetes-preserve-unknown-fields), x-kubernetes-* keys are
 * removed, and the root also checks apiVersion, kind and metadata.name.
 */
final class StrictCrdSchema {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final JsonSchema schema;

    private StrictCrdSchema(JsonSchema schema) {
        this.schema = schema;
    }

    static StrictCrdSchema load(Path crdFile, String version) {
        ObjectNode crd = Yaml.readAll(crdFile).get(0);
        String group = crd.path("spec").path("group").asText();
        String kind = crd.path("spec").path("names").path("kind").asText();
        for (JsonNode v : crd.path("spec").path("versions")) {
            if (version.equals(v.path("name").asText())) {
                ObjectNode root = ((ObjectNode) v.path("schema").path("openAPIV3Schema")).deepCopy();
                return new StrictCrdSchema(compile(strictRoot(root, group + "/" + version, kind)));
            }
        }
        throw new IllegalArgumentException("version " + version + " not in " + crdFile);
    }

    /** Validation errors as "path: message"; empty when valid. */
    List<String> validate(JsonNode resource) {
        Set<ValidationMessage> messages = schema.validate(resource);
        List<String> errors = new ArrayList<>();
        for (ValidationMessage m : messages) {
            errors.add(m.getInstanceLocation() + ": " + m.getMessage());
        }
        errors.sort(null);
        return errors;
    }

    static ObjectNode strictRoot(ObjectNode root, String apiVersion, String kind) {
        makeStrict(root);
        ObjectNode props = root.with("properties");
        props.set("apiVersion", F.objectNode().put("type", "string").set("enum", F.arrayNode().add(apiVersion)));
        props.set("kind", F.objectNode().put("type", "string").set("enum", F.arrayNode().add(kind)));
        ObjectNode metadata = F.objectNode().put("type", "object");
        metadata.set("required", F.arrayNode().add("name"));
        ObjectNode metaProps = metadata.putObject("properties");
        metaProps.putObject("name").put("type", "string").put("minLength", 1);
        metaProps.putObject("namespace").put("type", "string");
        metaProps.putObject("labels").put("type", "object").putObject("additionalProperties").put("type", "string");
        metaProps.putObject("annotations").put("type", "object").putObject("additionalProperties").put("type", "string");
        props.set("metadata", metadata);
        root.set("required", F.arrayNode().add("apiVersion").add("kind").add("metadata").add("spec"));
        root.put("additionalProperties", false);
        return root;
    }

    /** Recursively tightens one schema node (and the schemas nested in it). */
    static void makeStrict(ObjectNode node) {
        boolean preserveUnknown = node.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        if (node.has("properties") && !node.has("additionalProperties") && !preserveUnknown) {
            node.put("additionalProperties", false);
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            if (names.next().startsWith("x-kubernetes-")) {
                names.remove();
            }
        }
        if (node.get("properties") instanceof ObjectNode props) {
            for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
                if (it.next().getValue() instanceof ObjectNode child) {
                    makeStrict(child);
                }
            }
        }
        for (String key : List.of("items", "additionalProperties", "not")) {
            if (node.get(key) instanceof ObjectNode child) {
                makeStrict(child);
            }
        }
        for (String key : List.of("allOf", "anyOf", "oneOf", "items")) {
            if (node.get(key) instanceof ArrayNode array) {
                array.forEach(child -> {
                    if (child instanceof ObjectNode o) {
                        makeStrict(o);
                    }
                });
            }
        }
    }

    private static JsonSchema compile(ObjectNode schema) {
        // OpenAPI v3 schemas in CRDs are a draft-4 dialect (plus `nullable`, ignored here).
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(schema);
    }
}
