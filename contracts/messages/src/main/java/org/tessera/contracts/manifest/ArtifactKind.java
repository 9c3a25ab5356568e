package org.tessera.contracts.manifest;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The artifacts a manifest task can ask for, the output kind each one needs, and its media type. The worker writes
 * them with the platform's writers; the orchestrator derives the catalogue's output artifacts from them.
 */
public enum ArtifactKind {
    /** The class map as a pyramidal palette TIFF with the classes' colours. */
    SEGMENTATION_MAP_IMAGE("segmentation_map_image", ModelOutput.CLASS_MAP, "image/tiff"),
    /** Class map: each class's regions as QuPath annotations. Detections: each object as a QuPath detection. */
    GEOJSON_POLYGONS("geojson_polygons", null, "application/geo+json"),
    /** The area of each class of a class map. */
    CSV_CLASS_INFORMATION("csv_class_information", ModelOutput.CLASS_MAP, "text/csv"),
    /** One row per detected object: id, class, centre, area. */
    CSV_DETECTIONS("csv_detections", ModelOutput.DETECTIONS, "text/csv"),
    /** Slide-level figures as JSON: per class the area (class maps) or the count and density (detections). */
    SLIDE_READOUTS("slide_readouts", null, "application/json");

    private final String id;
    private final String outputKind;
    private final String mediaType;

    ArtifactKind(String id, String outputKind, String mediaType) {
        this.id = id;
        this.outputKind = outputKind;
        this.mediaType = mediaType;
    }

    /** As written in manifests and artifact names, e.g. {@code geojson_polygons}. */
    public String id() {
        return id;
    }

    public String mediaType() {
        return mediaType;
    }

    /** Whether a task whose output is of {@code kind} can write this artifact. */
    public boolean fits(String kind) {
        return outputKind == null || outputKind.equals(kind);
    }

    public static Optional<ArtifactKind> of(String id) {
        return Arrays.stream(values()).filter(k -> k.id.equals(id)).findFirst();
    }

    /** The ids of the kinds a task with output {@code kind} can write, for messages. */
    public static List<String> idsFitting(String kind) {
        return Arrays.stream(values())
                .filter(k -> k.fits(kind))
                .map(ArtifactKind::id)
                .toList();
    }
}
