package org.tessera.orchestrator.tenancy;

import java.util.Objects;
import org.tessera.orchestrator.common.api.ApiException;
import org.tessera.orchestrator.tenancy.domain.Role;

/**
 * Who is calling, as the platform's records say: the user, their organization and role. Never built from token
 * claims the platform did not check against its records.
 */
public record Caller(String userId, String organizationId, Role role) {

    public Caller {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(role, "role");
    }

    public boolean isSuperAdmin() {
        return role == Role.SUPER_ADMIN;
    }

    /** An admin of this organization, or a super-admin (who administers every organization). */
    public boolean administers(String organization) {
        return isSuperAdmin() || (role == Role.ADMIN && organizationId.equals(organization));
    }

    public void requireSuperAdmin() {
        if (!isSuperAdmin()) {
            throw ApiException.forbidden(
                    "AUTH.SUPER_ADMIN_REQUIRED", "only platform operators (super-admins) may do this");
        }
    }

    public void requireAdminOf(String organization) {
        if (!administers(organization)) {
            throw ApiException.forbidden(
                    "AUTH.ADMIN_REQUIRED", "only admins of organization " + organization + " may do this");
        }
    }
}
