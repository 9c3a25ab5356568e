package org.tessera.orchestrator.run;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import org.tessera.orchestrator.access.AccessControl;
import org.tessera.orchestrator.access.domain.RunAccess;
import org.tessera.orchestrator.common.api.ApiException;
import org.tessera.orchestrator.common.persistence.SqlCondition;
import org.tessera.orchestrator.run.persistence.RunRepository;
import org.tessera.orchestrator.run.persistence.RunRow;
import org.tessera.orchestrator.tenancy.Caller;

/**
 * Which runs a caller may read or change (docs/organizations.md, "Roles" and "Sharing"). A run the caller may not
 * read is not found (404), so ids cannot be probed; a run they may read but not change answers 403.
 */
@ApplicationScoped
public class RunVisibility {

    /** {@code submitted_by} value that stands for the caller. */
    public static final String ME = "me";

    /** {@code organization_id} value that stands for the caller's organization. */
    public static final String MY_ORG = "my_org";

    @Inject
    RunRepository runs;

    @Inject
    AccessControl access;

    /**
     * The run, if the caller may read it: its owner, an admin of its organization (or a super-admin), a holder of a
     * viewer grant, or anyone presenting a share token that holds one.
     *
     * @param shareToken the {@code share_token} query parameter, or null
     */
    public RunRow readable(Connection c, UUID runId, Caller caller, String shareToken) throws SQLException {
        Optional<RunRow> run = runs.find(c, runId);
        if (run.isEmpty()
                || !access.toRun(c, caller, SharedRunLookup.asShared(run.get()), shareToken)
                        .canRead()) {
            throw notFound();
        }
        return run.get();
    }

    /**
     * The run, locked for the rest of the transaction, if the caller may change it (only its owner may).
     *
     * @param action what the caller is doing, for the 403's message, e.g. {@code "cancel"}
     */
    public RunRow changeable(Connection c, UUID runId, Caller caller, String action) throws SQLException {
        Optional<RunRow> run = runs.lock(c, runId);
        if (run.isEmpty()) {
            throw notFound();
        }
        RunAccess relation = access.toRun(c, caller, SharedRunLookup.asShared(run.get()), null);
        if (!relation.canRead()) {
            throw notFound();
        }
        if (!relation.canChange()) {
            throw ApiException.forbidden(
                    "ACCESS.OWNER_ONLY",
                    "only the user who submitted run " + runId + " may " + action + "; you can read it ("
                            + relation.name().toLowerCase(java.util.Locale.ROOT) + ")");
        }
        return run.get();
    }

    /**
     * The runs {@code GET /v1/runs} lists (docs/organizations.md, "Sharing"): without filters, the caller's own runs,
     * as the API describes; {@code submitted_by} and {@code organization_id} narrow the runs the caller may read (own,
     * shared with them, their organization's for admins); {@code for_organization} lists every run of an organization
     * its admins (or a super-admin) ask for.
     */
    public SqlCondition listScope(Caller caller, String submittedBy, String organizationId, String forOrganization) {
        SqlCondition scope;
        if (forOrganization != null) {
            if (!caller.administers(forOrganization)) {
                throw ApiException.forbidden(
                        "AUTH.ADMIN_REQUIRED",
                        "for_organization: only admins of organization " + forOrganization
                                + " (or platform operators) may list all its runs");
            }
            scope = SqlCondition.of("run.organization_id = ?", forOrganization);
        } else if (submittedBy == null && organizationId == null) {
            scope = SqlCondition.of("run.submitted_by = ?", caller.userId());
        } else {
            scope = access.readableRuns(caller);
        }
        if (submittedBy != null) {
            scope = scope.and(
                    SqlCondition.of("run.submitted_by = ?", ME.equals(submittedBy) ? caller.userId() : submittedBy));
        }
        if (organizationId != null) {
            scope = scope.and(SqlCondition.of(
                    "run.organization_id = ?",
                    MY_ORG.equals(organizationId) ? caller.organizationId() : organizationId));
        }
        return scope;
    }

    private static ApiException notFound() {
        return ApiException.notFound("Run not found");
    }
}
