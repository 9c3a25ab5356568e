package org.tessera.contracts.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Optional;

/**
 * An application version described by a manifest instead of Java code: its tasks, and for each task the ONNX model it
 * runs, how tiles are fed to it, what its output means and which artifacts the worker writes from it. Its JSON Schema
 * is {@code manifest/application-manifest.v1.json} beside the message schemas; {@code docs/bring-your-own-model.md}
 * describes every field.
 *
 * <p>The orchestrator registers a manifest (checking it and its models), derives the catalogue entry from it, and puts
 * it into every slide job of that version, each model with the object-store key it stored the model under; the worker
 * runs it through the same tile plan, pipeline and output writers as the built-in applications.
 *
 * @param manifestVersion the manifest format, {@value #CURRENT_VERSION}
 * @param applicationId e.g. {@code nuclei-only}
 * @param version semantic version, e.g. {@code 1.0.0}
 * @param pricePerWsi the list price per slide as a decimal string, or null
 * @param minMpp the finest slide resolution accepted (µm per pixel), or null for the platform's default
 * @param maxMpp the coarsest slide resolution accepted, or null for the platform's default
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApplicationManifest(
        int manifestVersion,
        String applicationId,
        String name,
        String description,
        String version,
        String changelog,
        List<String> regulatoryClasses,
        String pricePerWsi,
        Double minMpp,
        Double maxMpp,
        List<ManifestTask> tasks) {

    public static final int CURRENT_VERSION = 1;

    /** Where the JSON Schema of manifests lies on the class path. */
    public static final String SCHEMA_RESOURCE = "/org/tessera/contracts/manifest/application-manifest.v1.json";

    public ApplicationManifest {
        regulatoryClasses = regulatoryClasses == null ? List.of() : List.copyOf(regulatoryClasses);
        tasks = tasks == null ? List.of() : List.copyOf(tasks);
    }

    public Optional<ManifestTask> task(String id) {
        return tasks.stream().filter(t -> t.id().equals(id)).findFirst();
    }

    /** This manifest with each task's model stored under the object key {@code keys} gives for the task. */
    public ApplicationManifest withObjectKeys(java.util.function.Function<ManifestTask, String> keys) {
        return new ApplicationManifest(
                manifestVersion,
                applicationId,
                name,
                description,
                version,
                changelog,
                regulatoryClasses,
                pricePerWsi,
                minMpp,
                maxMpp,
                tasks.stream().map(t -> t.withObjectKey(keys.apply(t))).toList());
    }
}
