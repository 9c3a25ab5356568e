package org.tessera.deploy.kubernetes;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tessera.deploy.kubernetes.Kustomize.Rendered;

/**
 * Parses rendered objects into typed models: fabric8's for Kubernetes and the Prometheus Operator, the records of
 * {@link CustomResources} for Strimzi, KEDA and CloudNativePG. Unknown fields are refused: the records through
 * Jackson's FAIL_ON_UNKNOWN_PROPERTIES, the fabric8 models (which keep unknown fields in an
 * {@code additionalProperties} map rather than failing) by walking every parsed object for a non-empty one.
 */
final class Models {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    /** apiVersion + kind -> model; anything else is refused. */
    static final Map<String, Class<?>> KINDS = Map.ofEntries(
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("networking.k8s.io/v1/Ingress", Ingress.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class),
            Map.entry("monitoring.coreos.com/v1/PodMonitor", PodMonitor.class),
            Map.entry("monitoring.coreos.com/v1/PrometheusRule", PrometheusRule.class),
            Map.entry("kafka.strimzi.io/v1beta2/Kafka", CustomResources.Kafka.class),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaNodePool", CustomResources.KafkaNodePool.class),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaTopic", CustomResources.KafkaTopic.class),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaUser", CustomResources.KafkaUser.class),
            Map.entry("keda.sh/v1alpha1/ScaledObject", CustomResources.ScaledObject.class),
            Map.entry("keda.sh/v1alpha1/TriggerAuthentication", CustomResources.TriggerAuthentication.class),
            Map.entry("postgresql.cnpg.io/v1/Cluster", CustomResources.Cluster.class));

    private Models() {}

    /** The typed object, or an exception naming the object, its file and what is wrong. */
    static Object parse(Rendered rendered) {
        String key = rendered.apiVersion() + "/" + rendered.kind();
        Class<?> type = KINDS.get(key);
        if (type == null) {
            throw new IllegalArgumentException(rendered.source() + ": " + rendered.id() + ": no model for " + key
                    + " (known: " + KINDS.keySet() + ")");
        }
        Object typed;
        try {
            typed = JSON.treeToValue(rendered.object(), type);
        } catch (Exception e) {
            throw new IllegalArgumentException(rendered.source() + ": " + rendered.id() + ": " + e.getMessage(), e);
        }
        List<String> unknown = new ArrayList<>();
        walk(typed, rendered.id(), unknown, new IdentityHashMap<>());
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(
                    rendered.source() + ": " + rendered.id() + ": unknown fields " + unknown);
        }
        return typed;
    }

    static <T> T as(Rendered rendered, Class<T> type) {
        return type.cast(parse(rendered));
    }

    static JsonNode tree(Object typed) {
        return JSON.valueToTree(typed);
    }

    private static void walk(Object value, String path, List<String> unknown, Map<Object, Boolean> seen) {
        if (value == null || seen.put(value, Boolean.TRUE) != null || isLeaf(value)) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "." + k, unknown, seen));
            return;
        }
        if (value instanceof Collection<?> collection) {
            int i = 0;
            for (Object element : collection) {
                walk(element, path + "[" + i++ + "]", unknown, seen);
            }
            return;
        }
        Class<?> type = value.getClass();
        if (type.isRecord()) {
            for (RecordComponent component : type.getRecordComponents()) {
                try {
                    walk(component.getAccessor().invoke(value), path + "." + component.getName(), unknown, seen);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
            return;
        }
        if (!type.getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                field.setAccessible(true);
                Object fieldValue;
                try {
                    fieldValue = field.get(value);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
                if (field.getName().equals("additionalProperties")) {
                    if (fieldValue instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        extra.keySet().forEach(k -> unknown.add(path + "." + k));
                    }
                } else {
                    walk(fieldValue, path + "." + field.getName(), unknown, seen);
                }
            }
        }
    }

    private static final Set<Class<?>> LEAVES =
            Set.of(String.class, Integer.class, Long.class, Boolean.class, Double.class, Float.class, Short.class);

    private static boolean isLeaf(Object value) {
        return LEAVES.contains(value.getClass()) || value instanceof Enum<?> || value instanceof Number;
    }
}
