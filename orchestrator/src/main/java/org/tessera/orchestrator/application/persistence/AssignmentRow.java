package org.tessera.orchestrator.application.persistence;

import java.time.Instant;
import org.tessera.orchestrator.application.domain.VersionRef;

/**
 * A row of {@code organization_application_version}: a version assigned to an organization, or once assigned and
 * since unassigned ({@code unassignedAt} set).
 *
 * @param assignedBy the super-admin's user id; null when the configured seed assigned it
 */
public record AssignmentRow(
        String organizationId,
        String applicationId,
        String versionNumber,
        Instant assignedAt,
        String assignedBy,
        Instant unassignedAt,
        String unassignedBy) {

    public boolean active() {
        return unassignedAt == null;
    }

    public VersionRef version() {
        return new VersionRef(applicationId, versionNumber);
    }
}
