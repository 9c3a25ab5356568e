package org.tessera.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One output written by a worker.
 *
 * @param name e.g. {@code tissue_qc:geojson_polygons}
 * @param objectKey key in the object store
 * @param mediaType e.g. {@code image/tiff}
 * @param sizeBytes file size
 * @param checksumBase64Crc32c Base64 of the big-endian CRC32C of the whole file
 * @param metadata optional description of the content, with the snake_case keys of the application version's output
 *     metadata schema ({@code width_px}, {@code height_px}, {@code resolution_mpp}, {@code class_colors} as class name
 *     to {@code [r, g, b]} for segmentation maps); {@code null} when the producer has none. Omitted from the JSON when
 *     absent, so messages of older producers read and round-trip unchanged.
 */
public record OutputArtifact(
        String name,
        String objectKey,
        String mediaType,
        long sizeBytes,
        String checksumBase64Crc32c,
        @JsonInclude(JsonInclude.Include.NON_NULL) ObjectNode metadata) {

    /** An artifact without extra metadata (the shape before {@code metadata} existed). */
    public OutputArtifact(
            String name, String objectKey, String mediaType, long sizeBytes, String checksumBase64Crc32c) {
        this(name, objectKey, mediaType, sizeBytes, checksumBase64Crc32c, null);
    }
}
