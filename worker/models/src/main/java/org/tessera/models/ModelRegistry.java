package org.tessera.models;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.tessera.models.onnx.OnnxModel;

/**
 * Which model file each task of an application version runs, with its SHA-256. The built-in models are built in
 * memory from source when the registry is created (milliseconds, byte-identical on every run, so the checksums in
 * the log identify the exact graph and weights); a user-supplied {@code .onnx} is registered with its expected
 * checksum and verified when loaded, so a swapped or truncated file never runs.
 */
public final class ModelRegistry {

    /** Task names, as in output artifact prefixes. */
    public static final String TISSUE_QC = Task.TISSUE_QC.id();

    public static final String TISSUE_SEGMENTATION = Task.TISSUE_SEGMENTATION.id();
    public static final String CELL_DETECTION = Task.CELL_CLASSIFICATION.id();

    /** A model: its id, its bytes' checksum and how to get the bytes. */
    public record ModelFile(String id, String sha256, Source source) {
        public ModelFile {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(sha256, "sha256");
            Objects.requireNonNull(source, "source");
        }

        /** The model bytes, verified against {@link #sha256()}. */
        public byte[] load() throws IOException {
            byte[] bytes = source.bytes();
            String actual = OnnxModel.sha256(bytes);
            if (!actual.equalsIgnoreCase(sha256)) {
                throw new ModelChecksumException(
                        "model " + id + " has SHA-256 " + actual + " but " + sha256 + " was registered");
            }
            return bytes;
        }
    }

    /** Where the bytes come from. */
    @FunctionalInterface
    public interface Source {
        byte[] bytes() throws IOException;
    }

    /** A model file whose content is not what was registered. */
    public static final class ModelChecksumException extends IOException {
        public ModelChecksumException(String message) {
            super(message);
        }
    }

    private final Map<String, Map<String, ModelFile>> byVersion = new ConcurrentHashMap<>();
    private final Map<String, ModelFile> builtIn;

    private ModelRegistry(Map<String, ModelFile> builtIn) {
        this.builtIn = Map.copyOf(builtIn);
    }

    /**
     * The built-in models, each assigned to its task in every version of every {@link Application} that runs the task
     * (readout generation has no model: it summarises the cells).
     */
    public static ModelRegistry withBuiltInModels() {
        Map<String, ModelFile> models = new LinkedHashMap<>();
        Map<Task, ModelFile> byTask = new EnumMap<>(Task.class);
        byTask.put(
                Task.TISSUE_QC, put(models, "tissue-qc-1", TissueQcModel.build(TissueQcModel.Parameters.defaults())));
        byTask.put(
                Task.TISSUE_SEGMENTATION,
                put(
                        models,
                        "tissue-segmentation-1",
                        TissueSegmentationModel.build(TissueSegmentationWeights.weights())));
        byTask.put(
                Task.CELL_CLASSIFICATION,
                put(
                        models,
                        "nucleus-detection-1",
                        NucleusDetectionModel.build(NucleusDetectionModel.Parameters.defaults())));
        ModelRegistry registry = new ModelRegistry(models);
        for (Application application : Application.values()) {
            for (String version : application.versions()) {
                for (Task task : application.tasks()) {
                    if (byTask.containsKey(task)) {
                        registry.assign(application.id(), version, task.id(), byTask.get(task));
                    }
                }
            }
        }
        return registry;
    }

    private static ModelFile put(Map<String, ModelFile> models, String id, byte[] bytes) {
        ModelFile model = new ModelFile(id, OnnxModel.sha256(bytes), () -> bytes.clone());
        models.put(id, model);
        return model;
    }

    /** Built-in models by id. */
    public Map<String, ModelFile> builtIn() {
        return builtIn;
    }

    /** Runs {@code model} for {@code task} of an application version, replacing what was there. */
    public void assign(String applicationId, String version, String task, ModelFile model) {
        byVersion
                .computeIfAbsent(applicationId + "@" + version, k -> new ConcurrentHashMap<>())
                .put(task, model);
    }

    /** Registers a user-supplied {@code .onnx} file; it is read and verified on every {@link ModelFile#load()}. */
    public ModelFile registerFile(String applicationId, String version, String task, Path file, String sha256) {
        ModelFile model = new ModelFile(file.getFileName().toString(), sha256, () -> Files.readAllBytes(file));
        assign(applicationId, version, task, model);
        return model;
    }

    /** The model of a task of an application version; versions not registered fall back to the same task's model */
    public Optional<ModelFile> model(String applicationId, String version, String task) {
        Map<String, ModelFile> tasks = byVersion.get(applicationId + "@" + version);
        if (tasks != null && tasks.containsKey(task)) {
            return Optional.of(tasks.get(task));
        }
        return byVersion.entrySet().stream()
                .filter(e -> e.getKey().startsWith(applicationId + "@"))
                .map(e -> e.getValue().get(task))
                .filter(Objects::nonNull)
                .findFirst();
    }
}
