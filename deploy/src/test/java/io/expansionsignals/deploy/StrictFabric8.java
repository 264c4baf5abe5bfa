package io.expansionsignals.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Validates Kubernetes core and prometheus-operator objects with fabric8 models: wrong types
 * fail (scalar coercion off), unknown fields fail (non-empty additionalProperties anywhere),
 * and metadata.name must be set.
 */
final class StrictFabric8 {

    /** apiVersion/kind -> model class; any other kind has no validator and fails. */
    static final Map<String, Class<? extends HasMetadata>> MODELS = Map.of(
            "v1/Namespace", Namespace.class,
            "v1/ServiceAccount", ServiceAccount.class,
            "v1/ConfigMap", ConfigMap.class,
            "v1/Secret", Secret.class,
            "rbac.authorization.k8s.io/v1/Role", Role.class,
            "rbac.authorization.k8s.io/v1/RoleBinding", RoleBinding.class,
            "monitoring.coreos.com/v1/PodMonitor", PodMonitor.class,
            "monitoring.coreos.com/v1/PrometheusRule", PrometheusRule.class);

    private static final ObjectMapper MAPPER = strictMapper();

    private StrictFabric8() {}

    static boolean supports(JsonNode doc) {
        return MODELS.containsKey(key(doc));
    }

    /** Errors for one object; empty when valid. */
    static List<String> validate(JsonNode doc) {
        String where = key(doc) + " " + doc.path("metadata").path("name").asText("<no name>");
        Class<? extends HasMetadata> model = MODELS.get(key(doc));
        if (model == null) {
            return List.of(where + ": no validator for this apiVersion/kind");
        }
        HasMetadata object;
        try {
            object = MAPPER.treeToValue(doc, model);
        } catch (Exception e) {
            return List.of(where + ": " + e.getMessage().lines().findFirst().orElse(e.toString()));
        }
        List<String> errors = new ArrayList<>();
        if (object.getMetadata() == null || object.getMetadata().getName() == null
                || object.getMetadata().getName().isBlank()) {
            errors.add(where + ": metadata.name is missing");
        }
        for (String unknown : UnknownFields.find(object)) {
            errors.add(where + ": unknown field " + unknown);
        }
        return errors;
    }

    private static String key(JsonNode doc) {
        return doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
    }

    private static ObjectMapper strictMapper() {
        JsonMapper mapper = JsonMapper.builder()
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
        // No number/boolean -> String either ("interval: 30" must not become "30").
        for (LogicalType type : List.of(LogicalType.Textual, LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
            var config = mapper.coercionConfigFor(type);
            for (CoercionInputShape shape : List.of(CoercionInputShape.Integer, CoercionInputShape.Float,
                    CoercionInputShape.Boolean, CoercionInputShape.String)) {
                config.setCoercion(shape, CoercionAction.Fail);
            }
        }
        return mapper;
    }
}
