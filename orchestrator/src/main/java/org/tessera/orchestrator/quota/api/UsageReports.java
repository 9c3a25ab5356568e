package org.tessera.orchestrator.quota.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.tessera.orchestrator.common.api.ApiException;
import org.tessera.orchestrator.common.persistence.Transactions;
import org.tessera.orchestrator.quota.RunOccupancy;
import org.tessera.orchestrator.quota.domain.WsiQuota;
import org.tessera.orchestrator.quota.persistence.WsiUsageRepository;
import org.tessera.orchestrator.tenancy.persistence.OrganizationRepository;
import org.tessera.orchestrator.tenancy.persistence.OrganizationRow;
import org.tessera.orchestrator.tenancy.persistence.UserRepository;
import org.tessera.orchestrator.tenancy.persistence.UserRow;

/** Limits and usage of an organization and its users, read in one transaction so that they agree. */
@ApplicationScoped
public class UsageReports {

    @Inject
    DataSource dataSource;

    @Inject
    OrganizationRepository organizations;

    @Inject
    UserRepository users;

    @Inject
    WsiUsageRepository usage;

    @Inject
    RunOccupancy occupancy;

    /** The organization's limits and usage in the month, with a row for every active user and every user with usage. */
    public QuotaViews.OrganizationUsage organization(String organizationId, YearMonth month) {
        return Transactions.inNew(dataSource, c -> {
            OrganizationRow organization = existing(c, organizationId);
            int organizationWsis = usage.ofOrganization(c, organizationId, month);
            Map<String, Integer> wsisByUser = usage.byUser(c, organizationId, month);
            Map<String, Integer> inProgress = occupancy.inProgressByUser(c, organizationId);
            Map<String, Integer> waiting = occupancy.waitingByUser(c, organizationId);
            Map<String, UserRow> listed = new LinkedHashMap<>();
            for (UserRow user : users.activeOf(c, organizationId)) {
                listed.put(user.userId(), user);
            }
            int active = listed.size();
            for (String userId : wsisByUser.keySet()) {
                if (!listed.containsKey(userId)) {
                    users.find(c, userId).ifPresent(user -> listed.put(userId, user));
                }
            }
            List<QuotaViews.UserUsage> rows = new ArrayList<>();
            for (UserRow user : listed.values()) {
                rows.add(userUsage(
                        organization,
                        organizationWsis,
                        user,
                        month,
                        wsisByUser.getOrDefault(user.userId(), 0),
                        inProgress.getOrDefault(user.userId(), 0),
                        waiting.getOrDefault(user.userId(), 0)));
            }
            QuotaViews.OrganizationTotals total = new QuotaViews.OrganizationTotals(
                    organizationWsis,
                    WsiQuota.remaining(organization.monthlyWsiLimit(), organizationWsis),
                    sum(inProgress),
                    sum(waiting),
                    active);
            return new QuotaViews.OrganizationUsage(
                    organizationId, month.toString(), limits(organization), total, rows);
        });
    }

    /** One user's limits and usage in the month; 404 unless the user belongs to the organization. */
    public QuotaViews.UserUsage user(String organizationId, String userId, YearMonth month) {
        return Transactions.inNew(dataSource, c -> {
            OrganizationRow organization = existing(c, organizationId);
            UserRow user = memberOf(c, organizationId, userId);
            return userUsage(
                    organization,
                    usage.ofOrganization(c, organizationId, month),
                    user,
                    month,
                    usage.ofUser(c, organizationId, userId, month),
                    occupancy.inProgressByUser(c, organizationId).getOrDefault(userId, 0),
                    occupancy.waitingByUser(c, organizationId).getOrDefault(userId, 0));
        });
    }

    static QuotaViews.OrganizationLimits limits(OrganizationRow organization) {
        return new QuotaViews.OrganizationLimits(
                organization.monthlyWsiLimit(),
                organization.maxWsisPerRun(),
                organization.maxParallelRuns(),
                organization.maxUsers());
    }

    static QuotaViews.UserLimits limits(UserRow user) {
        return new QuotaViews.UserLimits(user.monthlyWsiLimit(), user.maxParallelRuns());
    }

    public OrganizationRow existing(Connection c, String organizationId) throws SQLException {
        return organizations
                .find(c, organizationId)
                .orElseThrow(() -> ApiException.notFound("organization " + organizationId + " does not exist"));
    }

    public UserRow memberOf(Connection c, String organizationId, String userId) throws SQLException {
        return users.find(c, userId)
                .filter(user -> user.organizationId().equals(organizationId))
                .orElseThrow(() ->
                        ApiException.notFound("user " + userId + " is not a user of organization " + organizationId));
    }

    private static QuotaViews.UserUsage userUsage(
            OrganizationRow organization,
            int organizationWsis,
            UserRow user,
            YearMonth month,
            int wsis,
            int inProgress,
            int waiting) {
        // What this user can still submit this month: the smaller of their own and their organization's remainder.
        Integer remaining = smaller(
                WsiQuota.remaining(user.monthlyWsiLimit(), wsis),
                WsiQuota.remaining(organization.monthlyWsiLimit(), organizationWsis));
        return new QuotaViews.UserUsage(
                organization.organizationId(),
                user.userId(),
                user.email(),
                user.role().name(),
                !user.active(),
                month.toString(),
                limits(user),
                new QuotaViews.Usage(wsis, remaining, inProgress, waiting));
    }

    private static Integer smaller(Integer a, Integer b) {
        return Optional.ofNullable(a).map(x -> b == null ? x : Math.min(x, b)).orElse(b);
    }

    private static int sum(Map<String, Integer> counts) {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }
}
