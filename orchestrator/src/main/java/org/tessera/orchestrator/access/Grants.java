package org.tessera.orchestrator.access;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.tessera.orchestrator.access.domain.GrantRelation;
import org.tessera.orchestrator.access.domain.ResourceType;
import org.tessera.orchestrator.access.domain.RunAccess;
import org.tessera.orchestrator.access.domain.SubjectType;
import org.tessera.orchestrator.access.persistence.GrantQuery;
import org.tessera.orchestrator.access.persistence.GrantRepository;
import org.tessera.orchestrator.access.persistence.GrantRow;
import org.tessera.orchestrator.access.persistence.ShareTokenRow;
import org.tessera.orchestrator.common.FieldError;
import org.tessera.orchestrator.common.IdGenerator;
import org.tessera.orchestrator.common.api.ApiException;
import org.tessera.orchestrator.common.api.Page;
import org.tessera.orchestrator.common.api.SortOrder;
import org.tessera.orchestrator.common.api.ValidationFailedException;
import org.tessera.orchestrator.common.persistence.SqlCondition;
import org.tessera.orchestrator.tenancy.Caller;
import org.tessera.orchestrator.tenancy.persistence.UserRepository;
import org.tessera.orchestrator.tenancy.persistence.UserRow;

/**
 * Viewer grants on runs (docs/organizations.md, "Sharing"). The run's owner and the admins of its organization create
 * and revoke them; they, and the user a grant names, can read a grant; to anyone else its id does not exist.
 */
@ApplicationScoped
public class Grants {

    @Inject
    DataSource dataSource;

    @Inject
    GrantRepository grants;

    @Inject
    SharedRuns runs;

    @Inject
    AccessControl access;

    @Inject
    ShareTokens shareTokens;

    @Inject
    UserRepository users;

    @Inject
    IdGenerator ids;

    @Inject
    Clock clock;

    /**
     * Grants the relation, or returns the active grant that already says the same. 422 for anything but a viewer
     * grant on a run or for a subject outside the run's organization, 404 when the caller cannot see the run, 403 when
     * they can see it but not share it.
     */
    @Transactional(rollbackOn = Exception.class)
    public GrantRow create(Caller caller, GrantRequest request) throws SQLException {
        if (request.relation() != GrantRelation.VIEWER) {
            throw ValidationFailedException.of(FieldError.body(
                    List.of("relation"),
                    "relation_not_allowed",
                    "only viewer grants can be created, got '"
                            + request.relation().wire() + "'"));
        }
        if (request.resourceType() != ResourceType.RUN) {
            throw ValidationFailedException.of(FieldError.body(
                    List.of("resource_type"),
                    "resource_type_not_shareable",
                    "only runs can be shared (a grant on a run covers its items and output artifacts), got '"
                            + request.resourceType().wire() + "'"));
        }
        try (Connection c = dataSource.getConnection()) {
            SharedResource run = runs.find(c, request.resourceId())
                    .orElseThrow(() -> ApiException.notFound("Run " + request.resourceId() + " not found"));
            RunAccess relation = access.toRun(c, caller, run, null);
            if (!relation.canRead()) {
                throw ApiException.notFound("Run " + request.resourceId() + " not found");
            }
            if (!relation.canShare()) {
                throw ApiException.forbidden(
                        "ACCESS.SHARE_NOT_ALLOWED",
                        "only the owner of run " + run.id() + " and the admins of organization " + run.organizationId()
                                + " may share it");
            }
            String subjectId = subjectId(c, caller, run, request);
            GrantRow grant = new GrantRow(
                    ids.next(),
                    ResourceType.RUN,
                    run.id(),
                    run.owner(),
                    run.organizationId(),
                    request.subjectType(),
                    subjectId,
                    GrantRelation.VIEWER,
                    caller.userId(),
                    clock.instant(),
                    null,
                    null);
            return grants.insertOrExisting(c, grant);
        }
    }

    public GrantRow read(Caller caller, UUID grantId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return visible(c, caller, grantId);
        }
    }

    /** Revokes the grant: 404 when the caller cannot see it, 403 when they cannot revoke it, 409 when revoked. */
    @Transactional(rollbackOn = Exception.class)
    public GrantRow revoke(Caller caller, UUID grantId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            GrantRow grant = visible(c, caller, grantId);
            if (!manages(caller, grant)) {
                throw ApiException.forbidden(
                        "ACCESS.REVOKE_NOT_ALLOWED",
                        "only the owner of " + grant.resourceType().wire() + " " + grant.resourceId()
                                + " and the admins of organization " + grant.organizationId() + " may revoke grant "
                                + grantId);
            }
            if (!grants.revoke(c, grantId, caller.userId(), clock.instant())) {
                throw new ApiException(409, "ACCESS.GRANT_ALREADY_REVOKED", "Grant " + grantId + " is already revoked");
            }
            return grants.find(c, grantId).orElseThrow();
        }
    }

    /**
     * The grants the caller manages: on the resources they submitted, and on their organization's resources for
     * admins (every grant for super-admins).
     */
    public List<GrantRow> list(
            Caller caller,
            ResourceType resourceType,
            UUID resourceId,
            SubjectType subjectType,
            String subjectId,
            List<GrantRelation> relations,
            Boolean revoked,
            List<SortOrder> sort,
            Page page)
            throws SQLException {
        SqlCondition scope;
        if (caller.isSuperAdmin()) {
            scope = SqlCondition.of("true");
        } else if (caller.role().atLeastAdmin()) {
            scope = SqlCondition.of(
                    "resource_owner = ? OR organization_id = ?", caller.userId(), caller.organizationId());
        } else {
            scope = SqlCondition.of("resource_owner = ?", caller.userId());
        }
        GrantQuery query =
                new GrantQuery(scope, resourceType, resourceId, subjectType, subjectId, relations, revoked, sort, page);
        try (Connection c = dataSource.getConnection()) {
            return grants.list(c, query);
        }
    }

    private GrantRow visible(Connection c, Caller caller, UUID grantId) throws SQLException {
        return grants.find(c, grantId)
                .filter(grant -> manages(caller, grant)
                        || (grant.subjectType() == SubjectType.USER
                                && grant.subjectId().equals(caller.userId())))
                .orElseThrow(() -> ApiException.notFound("Grant " + grantId + " not found"));
    }

    private static boolean manages(Caller caller, GrantRow grant) {
        return grant.resourceOwner().equals(caller.userId()) || caller.administers(grant.organizationId());
    }

    /** The subject id the grant stores, after checking that the subject exists and belongs to the run's organization. */
    private String subjectId(Connection c, Caller caller, SharedResource run, GrantRequest request)
            throws SQLException {
        String organization = run.organizationId();
        return switch (request.subjectType()) {
            case USER -> user(c, organization, request);
            case ORGANIZATION_USER, ORGANIZATION_ADMIN -> {
                if (request.subjectEmail() != null) {
                    throw invalid(
                            "subject_email",
                            "subject_not_allowed",
                            "only grants to a user take an email; subject_type "
                                    + request.subjectType().wire() + " names an organization in subject_id");
                }
                if (request.subjectId() != null && !request.subjectId().equals(organization)) {
                    throw invalid(
                            "subject_id",
                            "organization_mismatch",
                            "runs of organization " + organization + " can only be shared within it, got '"
                                    + request.subjectId() + "'");
                }
                yield organization;
            }
            case SHARE_TOKEN -> shareToken(c, caller, request);
        };
    }

    private String user(Connection c, String organization, GrantRequest request) throws SQLException {
        if (request.subjectId() == null && request.subjectEmail() == null) {
            throw invalid("subject_id", "missing", "a grant to a user needs subject_id or subject_email");
        }
        Optional<UserRow> byId = Optional.empty();
        if (request.subjectId() != null) {
            byId = users.find(c, request.subjectId())
                    .filter(UserRow::active)
                    .filter(u -> u.organizationId().equals(organization));
            if (byId.isEmpty()) {
                throw invalid(
                        "subject_id",
                        "subject_not_found",
                        "no user '" + request.subjectId() + "' in organization " + organization);
            }
        }
        if (request.subjectEmail() != null) {
            Optional<UserRow> byEmail = users.activeByEmail(c, request.subjectEmail())
                    .filter(u -> u.organizationId().equals(organization));
            if (byEmail.isEmpty()) {
                throw invalid(
                        "subject_email",
                        "subject_not_found",
                        "no user with email '" + request.subjectEmail() + "' in organization " + organization);
            }
            if (byId.isPresent() && !byId.get().userId().equals(byEmail.get().userId())) {
                throw invalid(
                        "subject_email",
                        "subject_mismatch",
                        "names another user than subject_id '" + request.subjectId() + "'");
            }
            return byEmail.get().userId();
        }
        return byId.orElseThrow().userId();
    }

    private String shareToken(Connection c, Caller caller, GrantRequest request) throws SQLException {
        if (request.subjectId() == null) {
            throw invalid("subject_id", "missing", "a grant to a share token needs the share_token_id as subject_id");
        }
        UUID tokenId;
        try {
            tokenId = UUID.fromString(request.subjectId());
        } catch (IllegalArgumentException e) {
            throw invalid(
                    "subject_id",
                    "uuid_parsing",
                    "must be a share_token_id (a UUID), got '" + request.subjectId() + "'");
        }
        Optional<ShareTokenRow> token = shareTokens.grantable(c, caller, tokenId);
        if (token.isEmpty()) {
            throw invalid(
                    "subject_id",
                    "subject_not_found",
                    "no usable share token " + tokenId + " of yours (it may not exist, be revoked or have expired)");
        }
        return tokenId.toString();
    }

    private static ValidationFailedException invalid(String field, String type, String message) {
        return ValidationFailedException.of(FieldError.body(List.of(field), type, message));
    }
}
