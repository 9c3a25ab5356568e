package org.tessera.orchestrator.access.persistence;

import java.time.Instant;
import java.util.UUID;
import org.tessera.orchestrator.access.domain.GrantRelation;
import org.tessera.orchestrator.access.domain.ResourceType;
import org.tessera.orchestrator.access.domain.SubjectType;

/**
 * A row of {@code access_grant}.
 *
 * @param resourceOwner the user who submitted the resource
 * @param organizationId the resource's organization
 * @param subjectId a user id, an organization id or a share token id, by {@code subjectType}
 */
public record GrantRow(
        UUID grantId,
        ResourceType resourceType,
        UUID resourceId,
        String resourceOwner,
        String organizationId,
        SubjectType subjectType,
        String subjectId,
        GrantRelation relation,
        String createdBy,
        Instant createdAt,
        Instant revokedAt,
        String revokedBy) {

    public boolean revoked() {
        return revokedAt != null;
    }
}
