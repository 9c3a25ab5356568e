package org.tessera.orchestrator.run.persistence;

import java.time.Instant;
import java.util.UUID;

/**
 * A file a worker wrote for an item.
 *
 * @param output the API's {@code ArtifactOutput}: {@code AVAILABLE}, {@code DELETED_BY_USER}, {@code DELETED_BY_SYSTEM}
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
        Instant createdAt) {

    public static final String AVAILABLE = "AVAILABLE";
    public static final String DELETED_BY_USER = "DELETED_BY_USER";
    public static final String DELETED_BY_SYSTEM = "DELETED_BY_SYSTEM";
}
