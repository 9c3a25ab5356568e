package org.tessera.orchestrator.tenancy.persistence;

import static org.tessera.orchestrator.common.persistence.Jdbc.instant;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.tessera.orchestrator.common.api.Page;
import org.tessera.orchestrator.common.persistence.Jdbc;
import org.tessera.orchestrator.common.persistence.Table;
import org.tessera.orchestrator.tenancy.domain.Role;

/** SQL for {@code app_user}. Every method works in the caller's connection (transaction). */
@ApplicationScoped
public class UserRepository {

    private static final String COLUMNS = "user_id, organization_id, subject, email, role, name, given_name,"
            + " family_name, monthly_wsi_limit, max_parallel_runs, created_at, updated_at, removed_at";

    private static final Table<UserRow> USER = new Table<>("app_user", COLUMNS, UserRepository::read);

    public Optional<UserRow> find(Connection c, String userId) throws SQLException {
        return USER.first(c, "user_id = ?", userId);
    }

    /**
     * The user the identity provider's {@code sub} is bound to: the active one, else the one removed last (a subject
     * is unique among active users only).
     */
    public Optional<UserRow> bySubject(Connection c, String subject) throws SQLException {
        return USER.first(c, "subject = ? ORDER BY removed_at DESC NULLS FIRST LIMIT 1", subject);
    }

    /** The active user with this email (case-insensitive). */
    public Optional<UserRow> activeByEmail(Connection c, String email) throws SQLException {
        return USER.first(c, "lower(email) = lower(?) AND removed_at IS NULL", email);
    }

    /** One page of the organization's active users, oldest first. */
    public List<UserRow> activeOf(Connection c, String organizationId, Page page) throws SQLException {
        return USER.select(
                c,
                "organization_id = ? AND removed_at IS NULL ORDER BY created_at, user_id LIMIT ? OFFSET ?",
                organizationId,
                page.size(),
                page.offset());
    }

    /** The organization's active users, oldest first. */
    public List<UserRow> activeOf(Connection c, String organizationId) throws SQLException {
        return USER.select(
                c, "organization_id = ? AND removed_at IS NULL ORDER BY created_at, user_id", organizationId);
    }

    public int countActive(Connection c, String organizationId) throws SQLException {
        return Jdbc.first(
                        c,
                        "SELECT count(*) FROM app_user WHERE organization_id = ? AND removed_at IS NULL",
                        rs -> rs.getInt(1),
                        organizationId)
                .orElse(0);
    }

    /** Active users who administer the organization (admins and, in the operators' organization, super-admins). */
    public int countActiveAdmins(Connection c, String organizationId) throws SQLException {
        return Jdbc.first(
                        c,
                        "SELECT count(*) FROM app_user WHERE organization_id = ? AND role IN ('ADMIN', 'SUPER_ADMIN')"
                                + " AND removed_at IS NULL",
                        rs -> rs.getInt(1),
                        organizationId)
                .orElse(0);
    }

    /** Active users whose email is on the domain. */
    public int countActiveOnDomain(Connection c, String organizationId, String domain) throws SQLException {
        return Jdbc.first(
                        c,
                        "SELECT count(*) FROM app_user WHERE organization_id = ? AND removed_at IS NULL"
                                + " AND lower(split_part(email, '@', 2)) = ?",
                        rs -> rs.getInt(1),
                        organizationId,
                        domain)
                .orElse(0);
    }

    public int countActiveWithRole(Connection c, String organizationId, Role role) throws SQLException {
        return Jdbc.first(
                        c,
                        "SELECT count(*) FROM app_user WHERE organization_id = ? AND role = ? AND removed_at IS NULL",
                        rs -> rs.getInt(1),
                        organizationId,
                        role)
                .orElse(0);
    }

    /** The active user bound to this subject. */
    public Optional<UserRow> activeBySubject(Connection c, String subject) throws SQLException {
        return USER.first(c, "subject = ? AND removed_at IS NULL", subject);
    }

    /** Inserts the user; false when the id, subject or active email is taken. */
    public boolean insert(Connection c, UserRow u) throws SQLException {
        return Jdbc.update(
                        c,
                        "INSERT INTO app_user (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                                + " ON CONFLICT DO NOTHING",
                        u.userId(),
                        u.organizationId(),
                        u.subject(),
                        u.email(),
                        u.role(),
                        u.name(),
                        u.givenName(),
                        u.familyName(),
                        u.monthlyWsiLimit(),
                        u.maxParallelRuns(),
                        u.createdAt(),
                        u.updatedAt(),
                        u.removedAt())
                == 1;
    }

    /** Writes the mutable fields (role, names, limits, removal). */
    public void update(Connection c, UserRow u) throws SQLException {
        Jdbc.update(
                c,
                "UPDATE app_user SET role = ?, name = ?, given_name = ?, family_name = ?, monthly_wsi_limit = ?,"
                        + " max_parallel_runs = ?, updated_at = ?, removed_at = ? WHERE user_id = ?",
                u.role(),
                u.name(),
                u.givenName(),
                u.familyName(),
                u.monthlyWsiLimit(),
                u.maxParallelRuns(),
                u.updatedAt(),
                u.removedAt(),
                u.userId());
    }

    /** Binds an identity provider's subject to a user that has none yet; false when someone else bound it first. */
    public boolean bindSubject(Connection c, String userId, String subject, Instant at) throws SQLException {
        return Jdbc.update(
                        c,
                        "UPDATE app_user SET subject = ?, updated_at = ? WHERE user_id = ? AND subject IS NULL"
                                + " AND removed_at IS NULL"
                                + " AND NOT EXISTS (SELECT 1 FROM app_user WHERE subject = ? AND removed_at IS NULL)",
                        subject,
                        at,
                        userId,
                        subject)
                == 1;
    }

    private static UserRow read(ResultSet rs) throws SQLException {
        return new UserRow(
                rs.getString("user_id"),
                rs.getString("organization_id"),
                rs.getString("subject"),
                rs.getString("email"),
                Role.valueOf(rs.getString("role")),
                rs.getString("name"),
                rs.getString("given_name"),
                rs.getString("family_name"),
                rs.getObject("monthly_wsi_limit", Integer.class),
                rs.getObject("max_parallel_runs", Integer.class),
                instant(rs, "created_at"),
                instant(rs, "updated_at"),
                instant(rs, "removed_at"));
    }
}
