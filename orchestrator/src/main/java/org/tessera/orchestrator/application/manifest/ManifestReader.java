package org.tessera.orchestrator.application.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.tessera.contracts.ContractsJson;
import org.tessera.contracts.manifest.ApplicationManifest;
import org.tessera.contracts.manifest.ArtifactKind;
import org.tessera.contracts.manifest.ManifestTask;
import org.tessera.contracts.manifest.ModelInput;
import org.tessera.contracts.manifest.ModelOutput;
import org.tessera.orchestrator.application.MetadataSchema;
import org.tessera.orchestrator.application.domain.SemanticVersion;

/**
 * Reads a manifest: its JSON Schema ({@code application-manifest.v1.json} in the contracts) first, then what a schema
 * cannot say (task ids and class names unique, artifacts that fit the task's output, a tile larger than twice its
 * overlap). Pure; the models themselves are checked by {@link ModelCheck}.
 */
public final class ManifestReader {

    private static final MetadataSchema SCHEMA = loadSchema();

    private ManifestReader() {}

    private static MetadataSchema loadSchema() {
        try (InputStream in = ApplicationManifest.class.getResourceAsStream(ApplicationManifest.SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + ApplicationManifest.SCHEMA_RESOURCE);
            }
            return MetadataSchema.compile(ContractsJson.mapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads and checks a manifest as its author wrote it. */
    public static ApplicationManifest read(byte[] json) throws ManifestRefusedException {
        JsonNode tree;
        try {
            tree = ContractsJson.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw ManifestRefusedException.of(
                    List.of(), ManifestRefusedException.NOT_JSON, "not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (tree == null || !tree.isObject()) {
            throw ManifestRefusedException.of(
                    List.of(), ManifestRefusedException.NOT_JSON, "a manifest is a JSON object");
        }
        return read(tree);
    }

    static ApplicationManifest read(JsonNode tree) throws ManifestRefusedException {
        List<ManifestRefusedException.Reason> reasons = new ArrayList<>();
        unknownOutputKinds(tree, reasons);
        if (reasons.isEmpty()) {
            for (MetadataSchema.Violation v : SCHEMA.validate(tree)) {
                reasons.add(new ManifestRefusedException.Reason(
                        v.path(), ManifestRefusedException.JSON_SCHEMA, v.message()));
            }
        }
        if (!reasons.isEmpty()) {
            throw new ManifestRefusedException(reasons);
        }
        ApplicationManifest manifest;
        try {
            manifest = ContractsJson.mapper().treeToValue(tree, ApplicationManifest.class);
        } catch (JsonProcessingException e) {
            throw ManifestRefusedException.of(List.of(), ManifestRefusedException.JSON_SCHEMA, e.getOriginalMessage());
        }
        check(manifest);
        return manifest;
    }

    /** An output kind the worker cannot run, named as such rather than as a failed enumeration. */
    private static void unknownOutputKinds(JsonNode tree, List<ManifestRefusedException.Reason> reasons) {
        JsonNode tasks = tree.path("tasks");
        for (int i = 0; i < tasks.size(); i++) {
            JsonNode kind = tasks.get(i).path("model").path("output").path("kind");
            if (kind.isTextual()
                    && !kind.asText().equals(ModelOutput.CLASS_MAP)
                    && !kind.asText().equals(ModelOutput.DETECTIONS)) {
                reasons.add(new ManifestRefusedException.Reason(
                        List.of("tasks", i, "model", "output", "kind"),
                        ManifestRefusedException.UNKNOWN_OUTPUT_KIND,
                        "unknown output kind '" + kind.asText() + "'; the worker runs "
                                + List.of(ModelOutput.CLASS_MAP, ModelOutput.DETECTIONS)));
            }
        }
    }

    private static void check(ApplicationManifest manifest) throws ManifestRefusedException {
        List<ManifestRefusedException.Reason> reasons = new ArrayList<>();
        if (SemanticVersion.parse(manifest.version()).isEmpty()) {
            reasons.add(reason(List.of("version"), "not a semantic version: " + manifest.version()));
        }
        if (manifest.minMpp() != null && manifest.maxMpp() != null && manifest.minMpp() >= manifest.maxMpp()) {
            reasons.add(reason(
                    List.of("min_mpp"),
                    "min_mpp " + manifest.minMpp() + " must be below max_mpp " + manifest.maxMpp()));
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < manifest.tasks().size(); i++) {
            ManifestTask task = manifest.tasks().get(i);
            if (!ids.add(task.id())) {
                reasons.add(reason(List.of("tasks", i, "id"), "task id '" + task.id() + "' appears twice"));
            }
            ModelInput input = task.model().input();
            if (2 * input.overlap() >= input.tileSize()) {
                reasons.add(reason(
                        List.of("tasks", i, "model", "input", "overlap"),
                        "overlap " + input.overlap() + " must be less than half the tile size " + input.tileSize()));
            }
            ModelOutput output = task.model().output();
            List<Object> out = List.of("tasks", i, "model", "output");
            if (output.kind().equals(ModelOutput.DETECTIONS) && output.encoding() != null) {
                reasons.add(
                        reason(append(out, "encoding"), "encoding is for class maps; detections are read from scores"));
            }
            if (output.kind().equals(ModelOutput.CLASS_MAP)
                    && (output.outlines() != null || output.threshold() != null)) {
                reasons.add(reason(append(out, "kind"), "outlines and threshold are for detections, not class maps"));
            }
            if (output.kind().equals(ModelOutput.CLASS_MAP) && output.classes().size() < 2) {
                reasons.add(reason(
                        append(out, "classes"),
                        "a class map needs at least two classes, the first being the background"));
            }
            Set<String> names = new HashSet<>();
            for (int c = 0; c < output.classes().size(); c++) {
                if (!names.add(output.classes().get(c).name())) {
                    reasons.add(reason(
                            append(append(out, "classes"), c),
                            "class name '" + output.classes().get(c).name() + "' appears twice"));
                }
            }
            for (int a = 0; a < task.artifacts().size(); a++) {
                String artifact = task.artifacts().get(a);
                ArtifactKind kind = ArtifactKind.of(artifact).orElseThrow();
                if (!kind.fits(output.kind())) {
                    reasons.add(new ManifestRefusedException.Reason(
                            List.of("tasks", i, "artifacts", a),
                            ManifestRefusedException.ARTIFACT_DOES_NOT_FIT,
                            "a " + output.kind() + " output cannot be written as " + artifact + "; it can be "
                                    + ArtifactKind.idsFitting(output.kind())));
                }
            }
        }
        if (!reasons.isEmpty()) {
            throw new ManifestRefusedException(reasons);
        }
    }

    private static List<Object> append(List<Object> path, Object element) {
        List<Object> longer = new ArrayList<>(path);
        longer.add(element);
        return longer;
    }

    private static ManifestRefusedException.Reason reason(List<Object> path, String message) {
        return new ManifestRefusedException.Reason(path, ManifestRefusedException.INCONSISTENT, message);
    }
}
