package org.tessera.orchestrator.tenancy;

import java.util.Objects;

/**
 * Who is calling: the token's {@code sub} and organization.
 *
 * @param organizationId the token's {@code org_id}, else the seeded user's organization, else null
 */
public record Caller(String userId, String organizationId) {

    public Caller {
        Objects.requireNonNull(userId, "userId");
    }
}
