package org.tessera.orchestrator.tenancy.persistence;

import java.time.Instant;
import org.tessera.orchestrator.tenancy.domain.Role;

/** A row of {@code app_user}. A user with {@code removedAt} set can no longer sign in. */
public record UserRow(
        String userId,
        String organizationId,
        String subject,
        String email,
        Role role,
        String name,
        String givenName,
        String familyName,
        Integer monthlyWsiLimit,
        Integer maxParallelRuns,
        Instant createdAt,
        Instant updatedAt,
        Instant removedAt) {

    public boolean active() {
        return removedAt == null;
    }
}
