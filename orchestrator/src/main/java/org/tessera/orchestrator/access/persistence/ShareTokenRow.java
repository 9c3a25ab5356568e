package org.tessera.orchestrator.access.persistence;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code share_token}. The secret itself is never stored, only its SHA-256.
 *
 * @param organizationId the creator's organization
 * @param expiresAt null: never expires
 */
public record ShareTokenRow(
        UUID shareTokenId,
        String secretSha256,
        String createdBy,
        String organizationId,
        Instant createdAt,
        Instant expiresAt,
        Instant revokedAt,
        String revokedBy) {

    public boolean revoked() {
        return revokedAt != null;
    }

    /** Whether presenting the token at {@code now} grants anything: not revoked and not expired. */
    public boolean usableAt(Instant now) {
        return !revoked() && (expiresAt == null || now.isBefore(expiresAt));
    }
}
