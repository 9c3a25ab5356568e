package org.tessera.orchestrator.application.persistence;

import static org.tessera.orchestrator.common.persistence.Jdbc.instant;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.tessera.orchestrator.application.domain.VersionRef;
import org.tessera.orchestrator.common.persistence.Jdbc;
import org.tessera.orchestrator.common.persistence.Table;

/** SQL for {@code organization_application_version}. Every method works in the caller's connection (transaction). */
@ApplicationScoped
public class AssignmentRepository {

    private static final String COLUMNS = "organization_id, application_id, version_number, assigned_at, assigned_by,"
            + " unassigned_at, unassigned_by";

    private static final Table<AssignmentRow> ASSIGNMENT =
            new Table<>("organization_application_version", COLUMNS, AssignmentRepository::read);

    /** The versions currently assigned to the organization. */
    public List<AssignmentRow> activeOf(Connection c, String organizationId) throws SQLException {
        return ASSIGNMENT.select(
                c,
                "organization_id = ? AND unassigned_at IS NULL ORDER BY application_id, version_number",
                organizationId);
    }

    public Optional<AssignmentRow> find(Connection c, String organizationId, VersionRef version) throws SQLException {
        return ASSIGNMENT.first(
                c,
                "organization_id = ? AND application_id = ? AND version_number = ?",
                organizationId,
                version.applicationId(),
                version.versionNumber());
    }

    /**
     * Assigns the version, or assigns it again after it was unassigned; true when that changed something, false when
     * it was assigned already.
     */
    public boolean assign(Connection c, String organizationId, VersionRef version, Instant at, String by)
            throws SQLException {
        return Jdbc.update(
                        c,
                        "INSERT INTO organization_application_version (organization_id, application_id,"
                                + " version_number, assigned_at, assigned_by) VALUES (?, ?, ?, ?, ?)"
                                + " ON CONFLICT (organization_id, application_id, version_number) DO UPDATE"
                                + " SET assigned_at = EXCLUDED.assigned_at, assigned_by = EXCLUDED.assigned_by,"
                                + " unassigned_at = NULL, unassigned_by = NULL"
                                + " WHERE organization_application_version.unassigned_at IS NOT NULL",
                        organizationId,
                        version.applicationId(),
                        version.versionNumber(),
                        at,
                        by)
                == 1;
    }

    /**
     * Assigns the version unless a row for it exists, assigned or unassigned: what the configured seed does, so that
     * an unassignment made through the admin API survives restarts. True when it inserted.
     */
    public boolean assignIfNeverAssigned(Connection c, String organizationId, VersionRef version, Instant at)
            throws SQLException {
        return Jdbc.update(
                        c,
                        "INSERT INTO organization_application_version (organization_id, application_id,"
                                + " version_number, assigned_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                        organizationId,
                        version.applicationId(),
                        version.versionNumber(),
                        at)
                == 1;
    }

    /** Unassigns the version; false when it was not assigned. */
    public boolean unassign(Connection c, String organizationId, VersionRef version, Instant at, String by)
            throws SQLException {
        return Jdbc.update(
                        c,
                        "UPDATE organization_application_version SET unassigned_at = ?, unassigned_by = ?"
                                + " WHERE organization_id = ? AND application_id = ? AND version_number = ?"
                                + " AND unassigned_at IS NULL",
                        at,
                        by,
                        organizationId,
                        version.applicationId(),
                        version.versionNumber())
                == 1;
    }

    private static AssignmentRow read(ResultSet rs) throws SQLException {
        return new AssignmentRow(
                rs.getString("organization_id"),
                rs.getString("application_id"),
                rs.getString("version_number"),
                instant(rs, "assigned_at"),
                rs.getString("assigned_by"),
                instant(rs, "unassigned_at"),
                rs.getString("unassigned_by"));
    }
}
