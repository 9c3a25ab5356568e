package org.tessera.orchestrator.quota;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.tessera.orchestrator.common.api.ApiException;
import org.tessera.orchestrator.quota.domain.QuotaExceeded;
import org.tessera.orchestrator.quota.domain.WsiQuota;
import org.tessera.orchestrator.quota.persistence.WsiReservation;
import org.tessera.orchestrator.quota.persistence.WsiReservationRepository;
import org.tessera.orchestrator.quota.persistence.WsiUsageRepository;
import org.tessera.orchestrator.tenancy.persistence.OrganizationRepository;
import org.tessera.orchestrator.tenancy.persistence.OrganizationRow;

/**
 * The monthly and per-run WSI quotas (docs/organizations.md, Quotas and limits): a run's WSIs are checked and
 * reserved when it is accepted, in the accepting transaction and under a lock on its organization's row, so that
 * concurrent submissions of one organization take turns and exactly as many are accepted as fit; the WSIs it never
 * processes are given back when it ends.
 */
@ApplicationScoped
public class WsiQuotas {

    /** Where a run met the quotas, as the refusal metric's {@code stage} tag says. */
    public enum Stage {
        SUBMISSION,
        ADMISSION
    }

    @Inject
    OrganizationRepository organizations;

    @Inject
    WsiUsageRepository usage;

    @Inject
    WsiReservationRepository reservations;

    @Inject
    MeterRegistry metrics;

    /** The calendar month (UTC) an instant falls in: the period of the monthly quotas. */
    public static YearMonth monthOf(Instant at) {
        return YearMonth.from(at.atOffset(ZoneOffset.UTC));
    }

    /**
     * Checks a run submitted through the API against the quotas and reserves its WSIs; refuses it with 402 naming the
     * quota when it does not fit. The run's row must exist in this transaction; a refusal rolls it back.
     */
    public void reserveOrRefuse(
            Connection c, UUID runId, String organizationId, String userId, int wsis, Instant submittedAt)
            throws SQLException {
        Optional<QuotaExceeded> exceeded = reserve(c, runId, organizationId, userId, wsis, submittedAt, true);
        if (exceeded.isPresent()) {
            countRefusal(exceeded.get(), Stage.SUBMISSION);
            throw refusal(exceeded.get());
        }
    }

    /**
     * Checks a run that arrived on Kafka against the quotas and reserves its WSIs when it fits.
     *
     * @return the quota it exceeds (the run is then to be rejected with its code), or empty when it was reserved
     */
    public Optional<QuotaExceeded> reserveAtAdmission(
            Connection c, UUID runId, String organizationId, String userId, int wsis, Instant submittedAt)
            throws SQLException {
        Optional<QuotaExceeded> exceeded = reserve(c, runId, organizationId, userId, wsis, submittedAt, false);
        exceeded.ifPresent(e -> countRefusal(e, Stage.ADMISSION));
        return exceeded;
    }

    /**
     * A run ended: the WSIs it never processed leave its month's usage. Once per run; nothing for a run that reserved
     * nothing.
     */
    public void giveBack(Connection c, UUID runId, int unprocessedWsis, Instant at) throws SQLException {
        if (unprocessedWsis <= 0) {
            return;
        }
        Optional<WsiReservation> returned = reservations.giveBack(c, runId, unprocessedWsis, at);
        if (returned.isPresent()) {
            WsiReservation r = returned.get();
            usage.subtract(c, r.organizationId(), r.userId(), r.month(), r.returnedWsis());
        }
    }

    /**
     * @param refusalRollsBack true when a refusal rolls the whole transaction back (submission through the API): the
     *     reservation row is then written before the lock, which is held for less
     */
    private Optional<QuotaExceeded> reserve(
            Connection c,
            UUID runId,
            String organizationId,
            String userId,
            int wsis,
            Instant submittedAt,
            boolean refusalRollsBack)
            throws SQLException {
        if (organizationId == null) {
            // Quotas are an organization's; a request that names none is rejected by admission for other reasons.
            return Optional.empty();
        }
        YearMonth month = monthOf(submittedAt);
        WsiReservation reservation =
                new WsiReservation(runId, organizationId, userId, month, wsis, 0, submittedAt, null);
        if (refusalRollsBack) {
            // Written before the lock (a refusal rolls it back with the rest), so that the lock is held for three
            // statements and the commit: the lock, one read of the month's usage and the user's limit, one upsert.
            reservations.insert(c, reservation);
        }
        // The lock serialises every check-then-reserve of this organization (and its limit changes). The read after
        // it is a statement of its own, so it sees every reservation committed before the lock was granted.
        Optional<OrganizationRow> organization = organizations.lock(c, organizationId);
        WsiUsageRepository.MonthForUser now = usage.monthForUser(c, organizationId, userId, month);
        WsiQuota.Limits limits = new WsiQuota.Limits(
                organizationId,
                organization.map(OrganizationRow::monthlyWsiLimit).orElse(null),
                organization.map(OrganizationRow::maxWsisPerRun).orElse(null),
                userId,
                now.userMonthlyLimit());
        WsiQuota.Usage used = new WsiQuota.Usage(month, now.organizationWsis(), now.userWsis());
        Optional<QuotaExceeded> exceeded = WsiQuota.firstExceeded(limits, used, wsis);
        if (exceeded.isPresent()) {
            return exceeded;
        }
        usage.add(c, organizationId, userId, month, wsis);
        if (!refusalRollsBack) {
            reservations.insert(c, reservation);
        }
        return Optional.empty();
    }

    /** The 402 answer: {@code detail}, {@code code} and the {@code quota} with its limit and usage. */
    public static ApiException refusal(QuotaExceeded exceeded) {
        Map<String, Object> quota = new LinkedHashMap<>();
        quota.put("name", exceeded.kind().apiName());
        quota.put("scope", exceeded.kind().scope());
        quota.put("subject", exceeded.subject());
        quota.put("limit", exceeded.limit());
        quota.put("used", exceeded.used());
        quota.put("requested", exceeded.requested());
        quota.put("period", exceeded.period() == null ? null : exceeded.period().toString());
        return new ApiException(402, exceeded.kind().code(), exceeded.detail(), Map.of("quota", quota));
    }

    private void countRefusal(QuotaExceeded exceeded, Stage stage) {
        // Counted at once, not after commit: a refusal at submission rolls its transaction back.
        metrics.counter(
                        "tessera.quota.refusals",
                        "code",
                        exceeded.kind().code(),
                        "stage",
                        stage.name().toLowerCase(Locale.ROOT))
                .increment();
    }
}
