package org.tessera.orchestrator.application.manifest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.tessera.contracts.manifest.ApplicationManifest;
import org.tessera.contracts.manifest.ArtifactKind;
import org.tessera.contracts.manifest.ManifestTask;
import org.tessera.contracts.manifest.ModelOutput;
import org.tessera.orchestrator.application.ApplicationCatalogue;
import org.tessera.orchestrator.application.domain.ApplicationVersion;
import org.tessera.orchestrator.application.domain.ArtifactSpec;

/**
 * The catalogue entry of a version registered from a manifest, derived from it: the input a whole slide image with the
 * metadata the test application takes (its resolution within the manifest's bounds), and per task and artifact kind
 * an output artifact {@code <task>:<kind>} whose metadata schema names what the manifest says (the class colours of a
 * segmentation map as constants, the classes in each description).
 */
public final class ManifestEntries {

    /** Platform defaults for the slide resolution a manifest-described version accepts (µm per pixel). */
    public static final double DEFAULT_MIN_MPP = 0.08;

    public static final double DEFAULT_MAX_MPP = 0.55;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema";

    private ManifestEntries() {}

    public static ApplicationCatalogue.Registered registered(ApplicationManifest manifest, Instant registeredAt) {
        return new ApplicationCatalogue.Registered(
                manifest,
                version(manifest, registeredAt),
                manifest.pricePerWsi() == null ? null : new BigDecimal(manifest.pricePerWsi()));
    }

    public static ApplicationVersion version(ApplicationManifest manifest, Instant registeredAt) {
        List<ArtifactSpec> outputs = new ArrayList<>();
        for (ManifestTask task : manifest.tasks()) {
            for (String artifact : task.artifacts()) {
                ArtifactKind kind = ArtifactKind.of(artifact).orElseThrow();
                outputs.add(new ArtifactSpec(
                        task.artifactName(artifact), kind.mediaType(), outputSchema(task, kind), "ITEM", "EXTERNAL"));
            }
        }
        return new ApplicationVersion(
                manifest.version(),
                registeredAt,
                manifest.changelog() == null ? "" : manifest.changelog(),
                List.of(new ArtifactSpec("whole_slide_image", "image/tiff", inputSchema(manifest), null, null)),
                outputs);
    }

    /** The whole slide image's metadata, as the free test application takes it, within the manifest's mpp bounds. */
    static ObjectNode inputSchema(ApplicationManifest manifest) {
        ObjectNode schema = NODES.objectNode();
        schema.put("$schema", SCHEMA_DIALECT);
        schema.put(
                "$id",
                "https://tessera.local/schemas/" + manifest.applicationId() + "/" + manifest.version()
                        + "/whole_slide_image.json");
        schema.put("title", "Slide Schema");
        schema.put("description", "Metadata of a whole slide image submitted to " + manifest.name() + ".");
        schema.put("type", "object");
        ObjectNode mediaType = schema.putObject("$defs").putObject("InputMediaType");
        mediaType.put("title", "Media Type");
        mediaType.put(
                "description",
                "image/tiff for TIFF/BigTIFF, application/dicom for DICOM WSI, application/zip for a zipped DICOM"
                        + " series, application/octet-stream for Aperio SVS.");
        mediaType.put("type", "string");
        mediaType
                .putArray("enum")
                .add("image/tiff")
                .add("application/dicom")
                .add("application/zip")
                .add("application/octet-stream");
        ObjectNode properties = schema.putObject("properties");
        ObjectNode checksum = properties.putObject("checksum_base64_crc32c");
        checksum.put("type", "string");
        checksum.put("title", "Base64 encoded big-endian CRC32C checksum");
        checksum.put("pattern", "^[A-Za-z0-9+/]{6}==$");
        checksum.put("description", "Base64 of the big-endian CRC32C (Castagnoli) of the whole file.");
        for (String side : List.of("width", "height")) {
            ObjectNode px = properties.putObject(side + "_px");
            px.put("type", "integer");
            px.put("minimum", 1);
            px.put("title", side.substring(0, 1).toUpperCase(Locale.ROOT) + side.substring(1) + " (px)");
            px.put(
                    "description",
                    side.substring(0, 1).toUpperCase(Locale.ROOT) + side.substring(1)
                            + " of the full-resolution level in pixels.");
        }
        ObjectNode mpp = properties.putObject("resolution_mpp");
        mpp.put("type", "number");
        mpp.put("minimum", manifest.minMpp() == null ? DEFAULT_MIN_MPP : manifest.minMpp());
        mpp.put("maximum", manifest.maxMpp() == null ? DEFAULT_MAX_MPP : manifest.maxMpp());
        mpp.put("title", "Resolution (mpp)");
        mpp.put("description", "Microns per pixel at the full-resolution level.");
        properties.putObject("media_type").put("$ref", "#/$defs/InputMediaType");
        schema.putArray("required")
                .add("checksum_base64_crc32c")
                .add("width_px")
                .add("height_px")
                .add("resolution_mpp");
        schema.put("additionalProperties", false);
        return schema;
    }

    static ObjectNode outputSchema(ManifestTask task, ArtifactKind kind) {
        ModelOutput output = task.model().output();
        String classes = output.classes().stream()
                .map(c -> c.name() + " (" + c.color() + ")")
                .collect(Collectors.joining(", "));
        ObjectNode schema = NODES.objectNode();
        schema.put("$schema", SCHEMA_DIALECT);
        schema.put("title", title(kind));
        schema.put("description", description(task, kind, classes));
        schema.put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        ObjectNode checksum = properties.putObject("checksum_base64_crc32c");
        checksum.put("type", "string");
        checksum.put("title", "Base64 encoded big-endian CRC32C checksum");
        ObjectNode media = properties.putObject("media_type");
        media.put("const", kind.mediaType());
        media.put("type", "string");
        media.put("title", "Media Type");
        media.put("default", kind.mediaType());
        ObjectNode size = properties.putObject("size_bytes");
        size.put("type", "integer");
        size.put("minimum", 0);
        size.put("title", "Size (bytes)");
        if (kind == ArtifactKind.SEGMENTATION_MAP_IMAGE) {
            for (String side : List.of("width_px", "height_px")) {
                ObjectNode px = properties.putObject(side);
                px.put("type", "integer");
                px.put("minimum", 1);
            }
            ObjectNode mpp = properties.putObject("resolution_mpp");
            mpp.put("type", "number");
            mpp.put("exclusiveMinimum", 0);
            ObjectNode colors = properties.putObject("class_colors");
            colors.put("type", "object");
            colors.put("title", "Class Colors");
            ObjectNode each = colors.putObject("properties");
            for (ModelOutput.OutputClass c : output.classes()) {
                int rgb = c.rgb();
                ArrayNode value = NODES.arrayNode()
                        .add((rgb >> 16) & 0xFF)
                        .add((rgb >> 8) & 0xFF)
                        .add(rgb & 0xFF);
                each.putObject(c.name()).set("const", value);
            }
            colors.put("additionalProperties", false);
        }
        if (kind == ArtifactKind.GEOJSON_POLYGONS && output.kind().equals(ModelOutput.DETECTIONS)
                || kind == ArtifactKind.CSV_DETECTIONS) {
            ObjectNode count = properties.putObject("object_count");
            count.put("type", "integer");
            count.put("minimum", 0);
            count.put("title", "Objects detected on the slide");
        }
        schema.putArray("required").add("checksum_base64_crc32c").add("media_type");
        schema.put("additionalProperties", false);
        return schema;
    }

    private static String title(ArtifactKind kind) {
        return switch (kind) {
            case SEGMENTATION_MAP_IMAGE -> "SegmentationMapImageMetadata";
            case GEOJSON_POLYGONS -> "GeoJsonPolygonsMetadata";
            case CSV_CLASS_INFORMATION -> "CsvClassInformationMetadata";
            case CSV_DETECTIONS -> "CsvDetectionsMetadata";
            case SLIDE_READOUTS -> "SlideReadoutsMetadata";
        };
    }

    private static String description(ManifestTask task, ArtifactKind kind, String classes) {
        boolean detections = task.model().output().kind().equals(ModelOutput.DETECTIONS);
        return switch (kind) {
            case SEGMENTATION_MAP_IMAGE ->
                "Class map of " + task.id() + " as a pyramidal palette TIFF; pixel values are class values: " + classes
                        + ".";
            case GEOJSON_POLYGONS ->
                detections
                        ? "Objects detected by " + task.id() + " as QuPath detections ("
                                + (task.model().output().outlines() == null ? "points" : "outlines")
                                + " in level-0 pixels): " + classes + "."
                        : "Regions of each class of " + task.id() + " as QuPath annotations: " + classes + ".";
            case CSV_CLASS_INFORMATION -> "Area of each class of " + task.id() + ": " + classes + ".";
            case CSV_DETECTIONS ->
                "One row per object detected by " + task.id() + " (id, class, centre in level-0 pixels, area): "
                        + classes + ".";
            case SLIDE_READOUTS ->
                detections
                        ? "Per class the count and density per mm² of the analysed area, as JSON: " + classes + "."
                        : "Per class the area in mm² and its share, as JSON: " + classes + ".";
        };
    }
}
