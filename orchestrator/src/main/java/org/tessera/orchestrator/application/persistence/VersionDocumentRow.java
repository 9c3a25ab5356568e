package org.tessera.orchestrator.application.persistence;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code application_version_document}: a document of an application version whose bytes are in the object
 * store under {@code objectKey}.
 *
 * @param visibility {@code public} (listed to organizations that have the version) or {@code internal} (never)
 * @param sha256 hex SHA-256 of the uploaded bytes
 */
public record VersionDocumentRow(
        UUID documentId,
        String applicationId,
        String versionNumber,
        String name,
        String mimeType,
        String visibility,
        String objectKey,
        String sha256,
        long sizeBytes,
        Instant createdAt,
        Instant updatedAt) {

    public static final String PUBLIC = "public";
    public static final String INTERNAL = "internal";

    public boolean isPublic() {
        return PUBLIC.equals(visibility);
    }
}
