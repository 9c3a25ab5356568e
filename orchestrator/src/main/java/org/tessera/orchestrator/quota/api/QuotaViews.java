package org.tessera.orchestrator.quota.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/** The admin API's answers about limits and usage. A null limit is unlimited; a null remainder too. */
public final class QuotaViews {

    private QuotaViews() {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record OrganizationLimits(
            Integer monthlyWsiLimit, Integer maxWsisPerRun, Integer maxParallelRuns, Integer maxUsers) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record UserLimits(Integer monthlyWsiLimit, Integer maxParallelRuns) {}

    /**
     * A user's usage.
     *
     * @param wsis WSIs counted in the month
     * @param remainingWsis what the month's quotas still allow
     * @param runsInProgress admitted runs not yet terminal (now, whatever the month)
     * @param runsWaiting accepted runs held back by a parallel-run limit (now)
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Usage(int wsis, Integer remainingWsis, int runsInProgress, int runsWaiting) {}

    /** An organization's usage: as a user's, all users together, with how many users it has (active ones). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record OrganizationTotals(int wsis, Integer remainingWsis, int runsInProgress, int runsWaiting, int users) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record UserUsage(
            String organizationId,
            String userId,
            String email,
            String role,
            boolean removed,
            String month,
            UserLimits limits,
            Usage usage) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record OrganizationUsage(
            String organizationId,
            String month,
            OrganizationLimits limits,
            OrganizationTotals usage,
            List<UserUsage> users) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record OrganizationLimitsChange(String organizationId, OrganizationLimits limits) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record UserLimitsChange(String organizationId, String userId, UserLimits limits) {}
}
