package org.tessera.orchestrator.application.persistence;

import static org.tessera.orchestrator.common.persistence.Jdbc.instant;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.tessera.orchestrator.common.persistence.Jdbc;
import org.tessera.orchestrator.common.persistence.Table;

/** SQL for {@code registered_application_version}. Every method works in the caller's connection (transaction). */
@ApplicationScoped
public class RegisteredVersionRepository {

    private static final Table<RegisteredVersionRow> VERSION = new Table<>(
            "registered_application_version",
            "application_id, version_number, manifest::text AS manifest, registered_at, registered_by",
            RegisteredVersionRepository::read);

    public List<RegisteredVersionRow> all(Connection c) throws SQLException {
        return VERSION.select(c, "TRUE ORDER BY application_id, version_number");
    }

    public Optional<RegisteredVersionRow> find(Connection c, String applicationId, String versionNumber)
            throws SQLException {
        return VERSION.first(c, "application_id = ? AND version_number = ?", applicationId, versionNumber);
    }

    /** Inserts the version unless it exists; true when it inserted. */
    public boolean insert(Connection c, RegisteredVersionRow row) throws SQLException {
        return Jdbc.update(
                        c,
                        "INSERT INTO registered_application_version (application_id, version_number, manifest,"
                                + " registered_at, registered_by) VALUES (?, ?, CAST(? AS jsonb), ?, ?)"
                                + " ON CONFLICT DO NOTHING",
                        row.applicationId(),
                        row.versionNumber(),
                        row.manifestJson(),
                        row.registeredAt(),
                        row.registeredBy())
                == 1;
    }

    private static RegisteredVersionRow read(ResultSet rs) throws SQLException {
        return new RegisteredVersionRow(
                rs.getString("application_id"),
                rs.getString("version_number"),
                rs.getString("manifest"),
                instant(rs, "registered_at"),
                rs.getString("registered_by"));
    }
}
