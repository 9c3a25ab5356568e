package org.tessera.orchestrator.quota.domain;

import java.time.YearMonth;
import java.util.Objects;

/**
 * A submission that does not fit a quota, with what the refusal tells the client.
 *
 * @param subject the organization or user id the quota belongs to
 * @param used what the period has used so far; null for quotas without a period
 * @param requested the WSIs of the refused run
 * @param period the calendar month (UTC) the run would have counted in; null for quotas without a period
 */
public record QuotaExceeded(QuotaKind kind, String subject, int limit, Integer used, int requested, YearMonth period) {

    public QuotaExceeded {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(subject, "subject");
    }

    /** A sentence naming the quota, its limit, the usage and the request. */
    public String detail() {
        return switch (kind) {
            case ORGANIZATION_MONTHLY_WSIS ->
                "organization " + subject + "'s monthly WSIs would be exceeded: " + used + " of " + limit + " used in "
                        + period + ", this run has " + requested;
            case USER_MONTHLY_WSIS ->
                "user " + subject + "'s monthly WSIs would be exceeded: " + used + " of " + limit + " used in " + period
                        + ", this run has " + requested;
            case WSIS_PER_RUN ->
                "organization " + subject + " allows at most " + limit + " WSIs per run, this run has " + requested;
        };
    }
}
