package org.tessera.deploy.kubernetes;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders a kustomization directory the way {@code kubectl kustomize} does, for the subset these manifests use:
 * {@code resources} (files and directories), {@code namespace}, {@code labels} (pairs, on metadata), {@code patches}
 * (strategic-merge documents by path; {@code $patch: delete} removes an object), {@code images} and
 * {@code configMapGenerator} (files, without a hash suffix). A kustomization using anything else is refused, so the
 * subset cannot be outgrown silently.
 *
 * <p>Patches merge maps recursively and delete keys set to null. Lists in built-in kinds merge element by element on
 * {@code name} (containers, env, volumes, volumeMounts, ports), as Kubernetes' strategic merge does; lists in custom
 * resources are replaced whole, as kustomize does for kinds whose schema it lacks.
 */
final class Kustomize {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** API groups whose kinds Kubernetes itself defines (strategic merge applies to their lists). */
    private static final Set<String> BUILT_IN_GROUPS =
            Set.of("", "apps", "policy", "autoscaling", "networking.k8s.io", "batch", "rbac.authorization.k8s.io");

    /** Kinds that are not namespaced among those used here. */
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding");

    record Kustomization(
            String apiVersion,
            String kind,
            String namespace,
            List<LabelSet> labels,
            List<String> resources,
            List<Patch> patches,
            List<Image> images,
            List<ConfigMapGenerator> configMapGenerator) {}

    record LabelSet(Map<String, String> pairs) {}

    record Patch(String path) {}

    record Image(String name, String newName, String newTag) {}

    record ConfigMapGenerator(String name, List<String> files, GeneratorOptions options) {}

    record GeneratorOptions(Boolean disableNameSuffixHash, Map<String, String> labels) {}

    /** One rendered object with the file it came from (for error messages). */
    record Rendered(ObjectNode object, Path source) {
        String apiVersion() {
            return object.path("apiVersion").asText();
        }

        String kind() {
            return object.path("kind").asText();
        }

        String name() {
            return object.path("metadata").path("name").asText();
        }

        String id() {
            return kind() + "/" + name();
        }
    }

    private Kustomize() {}

    static List<Rendered> render(Path directory) {
        Path file = directory.resolve("kustomization.yaml");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(directory + " has no kustomization.yaml");
        }
        Kustomization k = read(file, Kustomization.class);
        if (!"Kustomization".equals(k.kind())) {
            throw new IllegalArgumentException(file + ": kind must be Kustomization, is " + k.kind());
        }
        List<Rendered> objects = new ArrayList<>();
        for (String resource : nonNull(k.resources())) {
            Path path = directory.resolve(resource).normalize();
            if (Files.isDirectory(path)) {
                objects.addAll(render(path));
            } else {
                objects.addAll(readObjects(path));
            }
        }
        for (ConfigMapGenerator generator : nonNull(k.configMapGenerator())) {
            objects.add(generate(directory, generator));
        }
        for (Patch patch : nonNull(k.patches())) {
            Path path = directory.resolve(patch.path()).normalize();
            for (Rendered p : readObjects(path)) {
                applyPatch(objects, p);
            }
        }
        for (Image image : nonNull(k.images())) {
            setImage(objects, image);
        }
        for (LabelSet labels : nonNull(k.labels())) {
            for (Rendered r : objects) {
                labels.pairs()
                        .forEach((key, value) -> metadata(r.object())
                                .withObjectProperty("labels")
                                .put(key, value));
            }
        }
        if (k.namespace() != null) {
            for (Rendered r : objects) {
                if (!CLUSTER_SCOPED.contains(r.kind())) {
                    metadata(r.object()).put("namespace", k.namespace());
                }
            }
        }
        return objects;
    }

    static List<Rendered> readObjects(Path file) {
        List<Rendered> objects = new ArrayList<>();
        try (var parser = YAML.createParser(file.toFile())) {
            Iterator<JsonNode> documents = YAML.readValues(parser, JsonNode.class);
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document == null || document.isNull() || document.isMissingNode()) {
                    continue;
                }
                if (!(document instanceof ObjectNode object)
                        || !object.hasNonNull("apiVersion")
                        || !object.hasNonNull("kind")
                        || !object.path("metadata").hasNonNull("name")) {
                    throw new IllegalArgumentException(
                            file + ": every document needs apiVersion, kind and metadata.name: " + document);
                }
                objects.add(new Rendered(object, file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file.toString(), e);
        }
        return objects;
    }

    private static Rendered generate(Path directory, ConfigMapGenerator generator) {
        if (generator.options() == null
                || !Boolean.TRUE.equals(generator.options().disableNameSuffixHash())) {
            throw new IllegalArgumentException("configMapGenerator " + generator.name()
                    + ": only disableNameSuffixHash: true is supported (other objects refer to it by name)");
        }
        ObjectNode map = JsonNodeFactory.instance.objectNode();
        map.put("apiVersion", "v1");
        map.put("kind", "ConfigMap");
        metadata(map).put("name", generator.name());
        nonNull(generator.options().labels())
                .forEach((key, value) ->
                        metadata(map).withObjectProperty("labels").put(key, value));
        ObjectNode data = map.putObject("data");
        for (String name : nonNull(generator.files())) {
            Path file = directory.resolve(name);
            try {
                data.put(file.getFileName().toString(), Files.readString(file));
            } catch (IOException e) {
                throw new UncheckedIOException(file.toString(), e);
            }
        }
        return new Rendered(map, directory.resolve("kustomization.yaml"));
    }

    private static void applyPatch(List<Rendered> objects, Rendered patch) {
        Rendered target = objects.stream()
                .filter(o -> o.apiVersion().equals(patch.apiVersion())
                        && o.kind().equals(patch.kind())
                        && o.name().equals(patch.name()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        patch.source() + ": patch target " + patch.id() + " (" + patch.apiVersion() + ") not found"));
        ObjectNode body = patch.object().deepCopy();
        JsonNode directive = body.remove("$patch");
        if (directive != null) {
            if (!"delete".equals(directive.asText())) {
                throw new IllegalArgumentException(patch.source() + ": unsupported $patch " + directive);
            }
            objects.remove(target);
            return;
        }
        boolean builtIn = BUILT_IN_GROUPS.contains(group(patch.apiVersion()));
        merge(target.object(), body, builtIn);
    }

    static void merge(ObjectNode target, ObjectNode patch, boolean strategicLists) {
        for (Map.Entry<String, JsonNode> field : patch.properties()) {
            String key = field.getKey();
            JsonNode value = field.getValue();
            JsonNode current = target.get(key);
            if (value.isNull()) {
                target.remove(key);
            } else if (value instanceof ObjectNode patchObject && current instanceof ObjectNode currentObject) {
                merge(currentObject, patchObject, strategicLists);
            } else if (strategicLists
                    && value instanceof ArrayNode patchList
                    && current instanceof ArrayNode currentList
                    && namedElements(patchList)
                    && namedElements(currentList)) {
                mergeByName(currentList, patchList);
            } else {
                target.set(key, value.deepCopy());
            }
        }
    }

    private static void mergeByName(ArrayNode current, ArrayNode patch) {
        Map<String, ObjectNode> byName = new LinkedHashMap<>();
        current.forEach(e -> byName.put(e.get("name").asText(), (ObjectNode) e));
        for (JsonNode element : patch) {
            ObjectNode existing = byName.get(element.get("name").asText());
            if (existing == null) {
                current.add(element.deepCopy());
            } else {
                merge(existing, (ObjectNode) element, true);
            }
        }
    }

    private static boolean namedElements(ArrayNode list) {
        for (JsonNode element : list) {
            if (!(element instanceof ObjectNode) || !element.hasNonNull("name")) {
                return false;
            }
        }
        return true;
    }

    private static void setImage(List<Rendered> objects, Image image) {
        boolean found = false;
        for (Rendered r : objects) {
            for (JsonNode container :
                    r.object().path("spec").path("template").path("spec").path("containers")) {
                String current = container.path("image").asText();
                int colon = current.lastIndexOf(':');
                String name = colon > current.lastIndexOf('/') ? current.substring(0, colon) : current;
                String tag = colon > current.lastIndexOf('/') ? current.substring(colon + 1) : "latest";
                if (name.equals(image.name())) {
                    String newName = image.newName() != null ? image.newName() : name;
                    String newTag = image.newTag() != null ? image.newTag() : tag;
                    ((ObjectNode) container).put("image", newName + ":" + newTag);
                    found = true;
                }
            }
        }
        if (!found) {
            throw new IllegalArgumentException("images: no container uses " + image.name());
        }
    }

    private static String group(String apiVersion) {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    private static ObjectNode metadata(ObjectNode object) {
        return object.withObjectProperty("metadata");
    }

    private static <T> List<T> nonNull(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static <K, V> Map<K, V> nonNull(Map<K, V> map) {
        return map == null ? Map.of() : map;
    }

    static <T> T read(Path file, Class<T> type) {
        try {
            return YAML.readValue(file.toFile(), type);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }
}
