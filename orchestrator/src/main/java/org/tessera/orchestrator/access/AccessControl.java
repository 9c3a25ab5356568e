package org.tessera.orchestrator.access;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tessera.orchestrator.access.domain.RunAccess;
import org.tessera.orchestrator.access.domain.SubjectType;
import org.tessera.orchestrator.access.persistence.GrantRepository;
import org.tessera.orchestrator.access.persistence.ShareTokenRow;
import org.tessera.orchestrator.common.persistence.SqlCondition;
import org.tessera.orchestrator.tenancy.Caller;
import org.tessera.orchestrator.tenancy.domain.Role;

/**
 * Who may do what with a run (docs/organizations.md, "Sharing"). Decided from the database on every request, so a
 * revoked grant or token, or an expired token, stops working at once.
 */
@ApplicationScoped
public class AccessControl {

    @Inject
    GrantRepository grants;

    @Inject
    ShareTokens shareTokens;

    /**
     * How the caller stands to the run.
     *
     * @param shareToken the {@code share_token} query parameter, or null
     */
    public RunAccess toRun(Connection c, Caller caller, SharedResource run, String shareToken) throws SQLException {
        boolean owner = run.owner().equals(caller.userId());
        boolean administers = caller.administers(run.organizationId());
        if (owner || administers) {
            return RunAccess.of(owner, administers, false);
        }
        boolean viewer = grants.viewerOfRun(c, run.id(), subjectsOf(caller)) || sharedThrough(c, run, shareToken);
        return RunAccess.of(false, false, viewer);
    }

    /**
     * The condition over the {@code run} table that keeps the runs the caller may read: their own, their
     * organization's if they administer it (every run for super-admins), and those shared with them. Share tokens
     * are for reading one run by id and never widen a list.
     */
    public SqlCondition readableRuns(Caller caller) {
        if (caller.isSuperAdmin()) {
            return SqlCondition.of("true");
        }
        SqlCondition shared = GrantRepository.runSharedWith(subjectsOf(caller));
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("run.submitted_by = ?");
        params.add(caller.userId());
        if (caller.role() == Role.ADMIN) {
            sql.append(" OR run.organization_id = ?");
            params.add(caller.organizationId());
        }
        sql.append(" OR ").append(shared.sql());
        params.addAll(shared.params());
        return new SqlCondition(sql.toString(), params);
    }

    /** The subjects a grant may name to reach this caller. */
    private static List<GrantRepository.Subject> subjectsOf(Caller caller) {
        List<GrantRepository.Subject> subjects = new ArrayList<>();
        subjects.add(new GrantRepository.Subject(SubjectType.USER, caller.userId()));
        subjects.add(new GrantRepository.Subject(SubjectType.ORGANIZATION_USER, caller.organizationId()));
        if (caller.role().atLeastAdmin()) {
            subjects.add(new GrantRepository.Subject(SubjectType.ORGANIZATION_ADMIN, caller.organizationId()));
        }
        return subjects;
    }

    private boolean sharedThrough(Connection c, SharedResource run, String shareToken) throws SQLException {
        if (shareToken == null || shareToken.isBlank()) {
            return false;
        }
        Optional<ShareTokenRow> token = shareTokens.usable(c, shareToken);
        return token.isPresent()
                && grants.viewerOfRun(
                        c,
                        run.id(),
                        List.of(new GrantRepository.Subject(
                                SubjectType.SHARE_TOKEN,
                                token.get().shareTokenId().toString())));
    }
}
