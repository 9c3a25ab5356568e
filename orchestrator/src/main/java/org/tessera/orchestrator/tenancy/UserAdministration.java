package org.tessera.orchestrator.tenancy;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.tessera.orchestrator.common.IdGenerator;
import org.tessera.orchestrator.common.api.ApiException;
import org.tessera.orchestrator.common.api.Page;
import org.tessera.orchestrator.tenancy.domain.Change;
import org.tessera.orchestrator.tenancy.domain.Role;
import org.tessera.orchestrator.tenancy.persistence.OrganizationRepository;
import org.tessera.orchestrator.tenancy.persistence.OrganizationRow;
import org.tessera.orchestrator.tenancy.persistence.UserRepository;
import org.tessera.orchestrator.tenancy.persistence.UserRow;

/**
 * An organization's users as its admins (and super-admins) manage them (docs/organizations.md, Users and domains):
 * emails on the organization's domains, the user limit, at least one admin. Outsiders learn nothing: an organization
 * the caller does not belong to answers 404 unless the caller is a super-admin.
 */
@ApplicationScoped
public class UserAdministration {

    /** A user to add; {@code userId} null draws one, {@code subject} null binds at first sign-in by verified email. */
    public record NewUser(
            String userId,
            String subject,
            String email,
            Role role,
            String name,
            String givenName,
            String familyName,
            Integer monthlyWsiLimit,
            Integer maxParallelRuns) {}

    /** What a PATCH changes; fields not present stay as they are. */
    public record Changes(
            Change<Role> role,
            Change<String> name,
            Change<String> givenName,
            Change<String> familyName,
            Change<Integer> monthlyWsiLimit,
            Change<Integer> maxParallelRuns) {}

    @Inject
    DataSource dataSource;

    @Inject
    OrganizationRepository organizations;

    @Inject
    UserRepository users;

    @Inject
    IdGenerator ids;

    @Inject
    Clock clock;

    /** The caller's own record. */
    @Transactional(rollbackOn = Exception.class)
    public UserRow self(Caller caller) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return users.find(c, caller.userId()).orElseThrow();
        }
    }

    @Transactional(rollbackOn = Exception.class)
    public List<UserRow> list(Caller caller, String organizationId, Page page) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            administered(c, caller, organizationId, false);
            return users.activeOf(c, organizationId, page);
        }
    }

    @Transactional(rollbackOn = Exception.class)
    public UserRow get(Caller caller, String organizationId, String userId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            administered(c, caller, organizationId, false);
            return member(c, organizationId, userId);
        }
    }

    /**
     * Adds a user under the organization's lock, so that concurrent additions cannot together pass the user limit.
     */
    @Transactional(rollbackOn = Exception.class)
    public UserRow add(Caller caller, String organizationId, NewUser user) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            OrganizationRow organization = administered(c, caller, organizationId, true);
            String email = TenancyRules.email("email", user.email(), organization);
            Role role = user.role() == null ? Role.MEMBER : user.role();
            requireMayGrant(caller, organization, role);
            int used = users.countActive(c, organizationId);
            if (organization.maxUsers() != null && used + 1 > organization.maxUsers()) {
                throw usersExceeded(organizationId, organization.maxUsers(), used);
            }
            return insert(c, organization, user, email, role, "");
        }
    }

    @Transactional(rollbackOn = Exception.class)
    public UserRow update(Caller caller, String organizationId, String userId, Changes changes) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            OrganizationRow organization = administered(c, caller, organizationId, true);
            UserRow user = member(c, organizationId, userId);
            requireMayManage(caller, user);
            Role role = changes.role().applyTo(user.role());
            if (role != user.role()) {
                requireMayGrant(caller, organization, role);
                if (user.role().atLeastAdmin() && !role.atLeastAdmin()) {
                    requireAnotherAdmin(c, organizationId, user, "demoted");
                }
            }
            UserRow updated = new UserRow(
                    user.userId(),
                    user.organizationId(),
                    user.subject(),
                    user.email(),
                    role,
                    changes.name().applyTo(user.name()),
                    changes.givenName().applyTo(user.givenName()),
                    changes.familyName().applyTo(user.familyName()),
                    changes.monthlyWsiLimit().applyTo(user.monthlyWsiLimit()),
                    changes.maxParallelRuns().applyTo(user.maxParallelRuns()),
                    user.createdAt(),
                    clock.instant(),
                    null);
            users.update(c, updated);
            return updated;
        }
    }

    /** Removes the user: their tokens are refused from now on; their runs, results and ledger entries stay. */
    @Transactional(rollbackOn = Exception.class)
    public void remove(Caller caller, String organizationId, String userId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            administered(c, caller, organizationId, true);
            UserRow user = member(c, organizationId, userId);
            requireMayManage(caller, user);
            if (user.role().atLeastAdmin()) {
                requireAnotherAdmin(c, organizationId, user, "removed");
            }
            Instant now = clock.instant();
            users.update(
                    c,
                    new UserRow(
                            user.userId(),
                            user.organizationId(),
                            user.subject(),
                            user.email(),
                            user.role(),
                            user.name(),
                            user.givenName(),
                            user.familyName(),
                            user.monthlyWsiLimit(),
                            user.maxParallelRuns(),
                            user.createdAt(),
                            now,
                            now));
        }
    }

    /**
     * Inserts a user whose email was checked against the organization's domains; 409 naming what is taken. The caller
     * holds the organization's lock or has just created it.
     *
     * @param field where the user is in the request body ({@code ""} or {@code "first_admin."}), for error messages
     */
    UserRow insert(Connection c, OrganizationRow organization, NewUser user, String email, Role role, String field)
            throws SQLException {
        String userId = user.userId() == null ? ids.next().toString() : user.userId();
        if (users.find(c, userId).isPresent()) {
            throw new ApiException(
                    409, "TENANCY.USER_EXISTS", field + "user_id: a user with id " + userId + " exists already");
        }
        Optional<UserRow> sameEmail = users.activeByEmail(c, email);
        if (sameEmail.isPresent()) {
            throw new ApiException(
                    409,
                    "TENANCY.EMAIL_TAKEN",
                    field + "email: " + email + " belongs to user "
                            + sameEmail.get().userId() + " already");
        }
        if (user.subject() != null && users.activeBySubject(c, user.subject()).isPresent()) {
            throw new ApiException(
                    409,
                    "TENANCY.SUBJECT_TAKEN",
                    field + "subject: " + user.subject() + " is bound to another user already");
        }
        Instant now = clock.instant();
        UserRow row = new UserRow(
                userId,
                organization.organizationId(),
                user.subject(),
                email,
                role,
                user.name(),
                user.givenName(),
                user.familyName(),
                user.monthlyWsiLimit(),
                user.maxParallelRuns(),
                now,
                now,
                null);
        if (!users.insert(c, row)) {
            throw new ApiException(
                    409,
                    "TENANCY.USER_EXISTS",
                    field + "user_id, email or subject was taken by a concurrent request; read the users and retry");
        }
        return row;
    }

    /**
     * What the caller's record alone decides, checked before a request body is read: users of other organizations get
     * 404 (unless super-admins), members 403.
     */
    public void requireAdministers(Caller caller, String organizationId) {
        if (!caller.isSuperAdmin() && !caller.organizationId().equals(organizationId)) {
            throw OrganizationAdministration.notFound(organizationId);
        }
        caller.requireAdminOf(organizationId);
    }

    /**
     * The organization, when the caller administers it. Users of other organizations get the same 404 as for one
     * that does not exist (nothing about other organizations is revealed); members of it get 403.
     */
    private OrganizationRow administered(Connection c, Caller caller, String organizationId, boolean lock)
            throws SQLException {
        requireAdministers(caller, organizationId);
        Optional<OrganizationRow> organization =
                lock ? organizations.lock(c, organizationId) : organizations.find(c, organizationId);
        return organization.orElseThrow(() -> OrganizationAdministration.notFound(organizationId));
    }

    private UserRow member(Connection c, String organizationId, String userId) throws SQLException {
        return users.find(c, userId)
                .filter(u -> u.active() && u.organizationId().equals(organizationId))
                .orElseThrow(() -> new ApiException(
                        404, "TENANCY.USER_NOT_FOUND", "organization " + organizationId + " has no user " + userId));
    }

    /** Only super-admins manage super-admins. */
    private static void requireMayManage(Caller caller, UserRow user) {
        if (user.role() == Role.SUPER_ADMIN && !caller.isSuperAdmin()) {
            throw ApiException.forbidden(
                    "AUTH.SUPER_ADMIN_REQUIRED", "only super-admins may change or remove super-admin " + user.userId());
        }
    }

    /** SUPER_ADMIN is granted only by a super-admin, and only within their own (the operators') organization. */
    private static void requireMayGrant(Caller caller, OrganizationRow organization, Role role) {
        if (role != Role.SUPER_ADMIN) {
            return;
        }
        if (!caller.isSuperAdmin()) {
            throw ApiException.forbidden("AUTH.SUPER_ADMIN_REQUIRED", "role: only super-admins may grant SUPER_ADMIN");
        }
        if (!caller.organizationId().equals(organization.organizationId())) {
            throw new ApiException(
                    422,
                    "TENANCY.ROLE_NOT_ALLOWED",
                    "role: SUPER_ADMIN is only for users of the operators' organization " + caller.organizationId()
                            + "; use ADMIN or MEMBER in " + organization.organizationId());
        }
    }

    private void requireAnotherAdmin(Connection c, String organizationId, UserRow user, String what)
            throws SQLException {
        if (users.countActiveAdmins(c, organizationId) <= 1) {
            throw new ApiException(
                    409,
                    "TENANCY.LAST_ADMIN",
                    "user " + user.userId() + " is the last admin of organization " + organizationId + " and cannot be "
                            + what + "; make another user ADMIN first");
        }
    }

    private static ApiException usersExceeded(String organizationId, int limit, int used) {
        Map<String, Object> quota = new LinkedHashMap<>();
        quota.put("name", "users");
        quota.put("scope", "organization");
        quota.put("subject", organizationId);
        quota.put("limit", limit);
        quota.put("used", used);
        quota.put("requested", 1);
        // The user limit holds at any time, not per month.
        quota.put("period", null);
        return new ApiException(
                402,
                "QUOTA.USERS",
                "organization " + organizationId + "'s user limit would be exceeded: " + used + " of " + limit
                        + " users, adding 1; a super-admin raises max_users",
                Map.of("quota", quota));
    }
}
