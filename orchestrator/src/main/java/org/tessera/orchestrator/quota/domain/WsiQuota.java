package org.tessera.orchestrator.quota.domain;

import java.time.YearMonth;
import java.util.Optional;

/**
 * Whether a run of some WSIs fits its organization's and its user's quotas. An unset (null) limit is unlimited. The
 * quotas are checked in a fixed order, so that a run exceeding several is refused for the same one every time: WSIs
 * per run, then the organization's month, then the user's month.
 */
public final class WsiQuota {

    /**
     * The limits that apply to one submission.
     *
     * @param organizationMonthly the organization's WSIs per calendar month
     * @param perRun the organization's WSIs per run
     * @param userMonthly the submitting user's WSIs per calendar month
     */
    public record Limits(
            String organizationId, Integer organizationMonthly, Integer perRun, String userId, Integer userMonthly) {}

    /** WSIs already counted in the period, by the organization as a whole and by the user. */
    public record Usage(YearMonth period, int organization, int user) {}

    private WsiQuota() {}

    /** The first quota the run would exceed, or empty when it fits all of them. */
    public static Optional<QuotaExceeded> firstExceeded(Limits limits, Usage usage, int requested) {
        if (requested < 0) {
            throw new IllegalArgumentException("a run has no negative number of WSIs: " + requested);
        }
        if (limits.perRun() != null && requested > limits.perRun()) {
            return Optional.of(new QuotaExceeded(
                    QuotaKind.WSIS_PER_RUN, limits.organizationId(), limits.perRun(), null, requested, null));
        }
        if (exceeds(limits.organizationMonthly(), usage.organization(), requested)) {
            return Optional.of(new QuotaExceeded(
                    QuotaKind.ORGANIZATION_MONTHLY_WSIS,
                    limits.organizationId(),
                    limits.organizationMonthly(),
                    usage.organization(),
                    requested,
                    usage.period()));
        }
        if (exceeds(limits.userMonthly(), usage.user(), requested)) {
            return Optional.of(new QuotaExceeded(
                    QuotaKind.USER_MONTHLY_WSIS,
                    limits.userId(),
                    limits.userMonthly(),
                    usage.user(),
                    requested,
                    usage.period()));
        }
        return Optional.empty();
    }

    /** What is left of a monthly limit, never below zero; null when the limit is unset. */
    public static Integer remaining(Integer limit, int used) {
        return limit == null ? null : Math.max(0, limit - used);
    }

    private static boolean exceeds(Integer limit, int used, int requested) {
        // long: a limit near Integer.MAX_VALUE plus a request must not wrap around.
        return limit != null && (long) used + requested > limit;
    }
}
