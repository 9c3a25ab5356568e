package org.tessera.orchestrator.access.persistence;

import static org.tessera.orchestrator.common.persistence.Jdbc.instant;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.tessera.orchestrator.common.persistence.Jdbc;
import org.tessera.orchestrator.common.persistence.SortFields;
import org.tessera.orchestrator.common.persistence.SqlCondition;
import org.tessera.orchestrator.common.persistence.Table;

/** SQL for {@code share_token}. Every method works in the caller's connection (transaction). */
@ApplicationScoped
public class ShareTokenRepository {

    private static final String COLUMNS = "share_token_id, secret_sha256, created_by, organization_id, created_at,"
            + " expires_at, revoked_at, revoked_by";

    private static final Table<ShareTokenRow> SHARE_TOKEN =
            new Table<>("share_token", COLUMNS, ShareTokenRepository::read);

    /** The sort fields {@code GET /v1/access/share-tokens} accepts, and the SQL each stands for. */
    public static final SortFields SORT_FIELDS = SortFields.of(
            "created_at DESC",
            "share_token_id",
            "share_token_id",
            "share_token_id",
            "created_at",
            "created_at",
            "expires_at",
            "expires_at",
            "revoked",
            "revoked_at IS NOT NULL");

    public void insert(Connection c, ShareTokenRow t) throws SQLException {
        Jdbc.update(
                c,
                "INSERT INTO share_token (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                t.shareTokenId(),
                t.secretSha256(),
                t.createdBy(),
                t.organizationId(),
                t.createdAt(),
                t.expiresAt(),
                t.revokedAt(),
                t.revokedBy());
    }

    public Optional<ShareTokenRow> find(Connection c, UUID shareTokenId) throws SQLException {
        return SHARE_TOKEN.first(c, "share_token_id = ?", shareTokenId);
    }

    public Optional<ShareTokenRow> bySecretHash(Connection c, String secretSha256) throws SQLException {
        return SHARE_TOKEN.first(c, "secret_sha256 = ?", secretSha256);
    }

    /** Revokes the token; false when it was already revoked (or does not exist). */
    public boolean revoke(Connection c, UUID shareTokenId, String by, Instant at) throws SQLException {
        return Jdbc.update(
                        c,
                        "UPDATE share_token SET revoked_at = ?, revoked_by = ? WHERE share_token_id = ?"
                                + " AND revoked_at IS NULL",
                        at,
                        by,
                        shareTokenId)
                == 1;
    }

    public List<ShareTokenRow> list(Connection c, ShareTokenQuery query) throws SQLException {
        SqlCondition scope = query.visibleTo() == null
                ? SqlCondition.of("true")
                : SqlCondition.of("created_by = ?", query.visibleTo());
        return SHARE_TOKEN
                .listing(scope)
                .where("created_by = ?", query.createdBy())
                .where(
                        query.revoked() == null
                                ? null
                                : SqlCondition.of(query.revoked() ? "revoked_at IS NOT NULL" : "revoked_at IS NULL"))
                .where(
                        query.runId() == null
                                ? null
                                : SqlCondition.of(
                                        "EXISTS (SELECT 1 FROM access_grant g WHERE g.subject_type = 'share_token'"
                                                + " AND g.subject_id = share_token.share_token_id::text"
                                                + " AND g.resource_type = 'run' AND g.resource_id = ?"
                                                + " AND g.revoked_at IS NULL)",
                                        query.runId()))
                .orderBy(query.sort(), SORT_FIELDS)
                .page(query.page())
                .list(c);
    }

    private static ShareTokenRow read(ResultSet rs) throws SQLException {
        return new ShareTokenRow(
                rs.getObject("share_token_id", UUID.class),
                rs.getString("secret_sha256"),
                rs.getString("created_by"),
                rs.getString("organization_id"),
                instant(rs, "created_at"),
                instant(rs, "expires_at"),
                instant(rs, "revoked_at"),
                rs.getString("revoked_by"));
    }
}
