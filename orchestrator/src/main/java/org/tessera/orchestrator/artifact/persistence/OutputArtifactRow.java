package org.tessera.orchestrator.artifact.persistence;

import java.time.Instant;
import java.util.UUID;

/**
 * A file a worker wrote for an item.
 *
 * @param output the API's {@code ArtifactOutput}: {@code AVAILABLE}, {@code DELETED_BY_USER}, {@code DELETED_BY_SYSTEM}
 * @param extraMetadataJson the worker's optional description of the file (a JSON object, e.g. a map's {@code width_px},
 *     {@code class_colors}), or null
 */
public record OutputArtifactRow(
        UUID outputArtifactId,
        UUID runId,
        UUID itemId,
        int position,
        String name,
        String objectKey,
        String mediaType,
        long sizeBytes,
        String checksumBase64Crc32c,
        String output,
        Instant createdAt,
        String extraMetadataJson) {

    public static final String AVAILABLE = "AVAILABLE";
    public static final String DELETED_BY_USER = "DELETED_BY_USER";
    public static final String DELETED_BY_SYSTEM = "DELETED_BY_SYSTEM";
}
