package org.tessera.orchestrator.access.persistence;

import static org.tessera.orchestrator.common.persistence.Jdbc.instant;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.tessera.orchestrator.access.domain.GrantRelation;
import org.tessera.orchestrator.access.domain.ResourceType;
import org.tessera.orchestrator.access.domain.SubjectType;
import org.tessera.orchestrator.common.persistence.Jdbc;
import org.tessera.orchestrator.common.persistence.SortFields;
import org.tessera.orchestrator.common.persistence.SqlCondition;
import org.tessera.orchestrator.common.persistence.Table;

/** SQL for {@code access_grant}. Every method works in the caller's connection (transaction). */
@ApplicationScoped
public class GrantRepository {

    private static final String COLUMNS = "grant_id, resource_type, resource_id, resource_owner, organization_id,"
            + " subject_type, subject_id, relation, created_by, created_at, revoked_at, revoked_by";

    private static final Table<GrantRow> GRANT = new Table<>("access_grant", COLUMNS, GrantRepository::read);

    /** The sort fields {@code GET /v1/access/grants} accepts, and the SQL each stands for. */
    public static final SortFields SORT_FIELDS = SortFields.of(
            "created_at DESC",
            "grant_id",
            "grant_id",
            "grant_id",
            "resource_type",
            "resource_type",
            "resource_id",
            "resource_id",
            "subject_type",
            "subject_type",
            "subject_id",
            "subject_id",
            "relation",
            "relation",
            "created_by",
            "created_by",
            "created_at",
            "created_at",
            "revoked",
            "revoked_at IS NOT NULL");

    /**
     * Stores the grant unless an active grant with the same resource, subject and relation exists; returns the
     * active one either way.
     */
    public GrantRow insertOrExisting(Connection c, GrantRow g) throws SQLException {
        Jdbc.update(
                c,
                "INSERT INTO access_grant (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT (resource_type, resource_id, subject_type, subject_id, relation)"
                        + " WHERE revoked_at IS NULL DO NOTHING",
                g.grantId(),
                g.resourceType().wire(),
                g.resourceId(),
                g.resourceOwner(),
                g.organizationId(),
                g.subjectType().wire(),
                g.subjectId(),
                g.relation().wire(),
                g.createdBy(),
                g.createdAt(),
                g.revokedAt(),
                g.revokedBy());
        return GRANT.first(
                        c,
                        "resource_type = ? AND resource_id = ? AND subject_type = ? AND subject_id = ?"
                                + " AND relation = ? AND revoked_at IS NULL",
                        g.resourceType().wire(),
                        g.resourceId(),
                        g.subjectType().wire(),
                        g.subjectId(),
                        g.relation().wire())
                .orElseThrow(() -> new IllegalStateException("grant vanished in its own transaction"));
    }

    public Optional<GrantRow> find(Connection c, UUID grantId) throws SQLException {
        return GRANT.first(c, "grant_id = ?", grantId);
    }

    /** Revokes the grant; false when it was already revoked (or does not exist). */
    public boolean revoke(Connection c, UUID grantId, String by, Instant at) throws SQLException {
        return Jdbc.update(
                        c,
                        "UPDATE access_grant SET revoked_at = ?, revoked_by = ? WHERE grant_id = ?"
                                + " AND revoked_at IS NULL",
                        at,
                        by,
                        grantId)
                == 1;
    }

    public List<GrantRow> list(Connection c, GrantQuery query) throws SQLException {
        List<String> relations = query.relations() == null
                ? null
                : query.relations().stream().map(GrantRelation::wire).toList();
        return GRANT.listing(query.scope())
                .where(
                        "resource_type = ?",
                        query.resourceType() == null
                                ? null
                                : query.resourceType().wire())
                .where("resource_id = ?", query.resourceId())
                .where(
                        "subject_type = ?",
                        query.subjectType() == null ? null : query.subjectType().wire())
                .where("subject_id = ?", query.subjectId())
                .whereIn("relation", "text", relations)
                .where(
                        query.revoked() == null
                                ? null
                                : SqlCondition.of(query.revoked() ? "revoked_at IS NOT NULL" : "revoked_at IS NULL"))
                .orderBy(query.sort(), SORT_FIELDS)
                .page(query.page())
                .list(c);
    }

    /**
     * Whether one of the subjects holds an active viewer grant on the run.
     *
     * @param subjects pairs of subject type and subject id, e.g. the caller as a user and as a user of their
     *     organization
     */
    public boolean viewerOfRun(Connection c, UUID runId, List<Subject> subjects) throws SQLException {
        if (subjects.isEmpty()) {
            return false;
        }
        SqlCondition any = anySubject(subjects, "");
        List<Object> params = new ArrayList<>();
        params.add(runId);
        params.addAll(any.params());
        return Jdbc.first(
                        c,
                        "SELECT EXISTS (SELECT 1 FROM access_grant WHERE resource_type = 'run' AND resource_id = ?"
                                + " AND relation = 'viewer' AND revoked_at IS NULL AND (" + any.sql() + "))",
                        rs -> rs.getBoolean(1),
                        params.toArray())
                .orElse(false);
    }

    /**
     * The condition "the run is shared with one of the subjects" over the {@code run} table, for list queries.
     * Kept here so that the meaning of a grant lives in one place.
     */
    public static SqlCondition runSharedWith(List<Subject> subjects) {
        if (subjects.isEmpty()) {
            return SqlCondition.of("false");
        }
        SqlCondition any = anySubject(subjects, "g.");
        return new SqlCondition(
                "EXISTS (SELECT 1 FROM access_grant g WHERE g.resource_type = 'run' AND g.resource_id = run.run_id"
                        + " AND g.relation = 'viewer' AND g.revoked_at IS NULL AND (" + any.sql() + "))",
                any.params());
    }

    private static SqlCondition anySubject(List<Subject> subjects, String alias) {
        StringBuilder sql = new StringBuilder();
        List<Object> params = new ArrayList<>();
        for (Subject subject : subjects) {
            if (!sql.isEmpty()) {
                sql.append(" OR ");
            }
            sql.append("(")
                    .append(alias)
                    .append("subject_type = ? AND ")
                    .append(alias)
                    .append("subject_id = ?)");
            params.add(subject.type().wire());
            params.add(subject.id());
        }
        return new SqlCondition(sql.toString(), params);
    }

    /** A subject as grants name it. */
    public record Subject(SubjectType type, String id) {}

    private static GrantRow read(ResultSet rs) throws SQLException {
        return new GrantRow(
                rs.getObject("grant_id", UUID.class),
                ResourceType.fromWire(rs.getString("resource_type")).orElseThrow(),
                rs.getObject("resource_id", UUID.class),
                rs.getString("resource_owner"),
                rs.getString("organization_id"),
                SubjectType.fromWire(rs.getString("subject_type")).orElseThrow(),
                rs.getString("subject_id"),
                GrantRelation.fromWire(rs.getString("relation")).orElseThrow(),
                rs.getString("created_by"),
                instant(rs, "created_at"),
                instant(rs, "revoked_at"),
                rs.getString("revoked_by"));
    }
}
