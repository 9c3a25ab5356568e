package org.tessera.orchestrator.application.persistence;

import static org.tessera.orchestrator.common.persistence.Jdbc.instant;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.tessera.orchestrator.application.domain.VersionRef;
import org.tessera.orchestrator.common.persistence.Jdbc;
import org.tessera.orchestrator.common.persistence.Table;

/** SQL for {@code application_version_document}. Every method works in the caller's connection (transaction). */
@ApplicationScoped
public class VersionDocumentRepository {

    private static final String COLUMNS = "document_id, application_id, version_number, name, mime_type, visibility,"
            + " object_key, sha256, size_bytes, created_at, updated_at";

    private static final Table<VersionDocumentRow> DOCUMENT =
            new Table<>("application_version_document", COLUMNS, VersionDocumentRepository::read);

    /** The version's documents, by name. */
    public List<VersionDocumentRow> of(Connection c, VersionRef version) throws SQLException {
        return DOCUMENT.select(
                c,
                "application_id = ? AND version_number = ? ORDER BY name",
                version.applicationId(),
                version.versionNumber());
    }

    public Optional<VersionDocumentRow> find(Connection c, VersionRef version, String name) throws SQLException {
        return DOCUMENT.first(
                c,
                "application_id = ? AND version_number = ? AND name = ?",
                version.applicationId(),
                version.versionNumber(),
                name);
    }

    /**
     * Records an uploaded document: inserts it, or updates it when its content, media type, visibility or key
     * changed (then {@code updated_at} moves on; {@code created_at} and the id stay). Returns whether anything was
     * written.
     */
    public boolean upsert(Connection c, VersionDocumentRow d) throws SQLException {
        return Jdbc.update(
                        c,
                        "INSERT INTO application_version_document (" + COLUMNS + ")"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                                + " ON CONFLICT (application_id, version_number, name) DO UPDATE"
                                + " SET mime_type = EXCLUDED.mime_type, visibility = EXCLUDED.visibility,"
                                + " object_key = EXCLUDED.object_key, sha256 = EXCLUDED.sha256,"
                                + " size_bytes = EXCLUDED.size_bytes, updated_at = EXCLUDED.updated_at"
                                + " WHERE (application_version_document.mime_type, application_version_document.visibility,"
                                + " application_version_document.object_key, application_version_document.sha256)"
                                + " IS DISTINCT FROM (EXCLUDED.mime_type, EXCLUDED.visibility, EXCLUDED.object_key,"
                                + " EXCLUDED.sha256)",
                        d.documentId(),
                        d.applicationId(),
                        d.versionNumber(),
                        d.name(),
                        d.mimeType(),
                        d.visibility(),
                        d.objectKey(),
                        d.sha256(),
                        d.sizeBytes(),
                        d.createdAt(),
                        d.updatedAt())
                == 1;
    }

    private static VersionDocumentRow read(ResultSet rs) throws SQLException {
        return new VersionDocumentRow(
                rs.getObject("document_id", UUID.class),
                rs.getString("application_id"),
                rs.getString("version_number"),
                rs.getString("name"),
                rs.getString("mime_type"),
                rs.getString("visibility"),
                rs.getString("object_key"),
                rs.getString("sha256"),
                rs.getLong("size_bytes"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"));
    }
}
