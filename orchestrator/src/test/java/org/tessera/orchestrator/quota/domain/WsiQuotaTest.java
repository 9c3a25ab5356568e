package org.tessera.orchestrator.quota.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.YearMonth;
import org.junit.jupiter.api.Test;

class WsiQuotaTest {

    private static final YearMonth DECEMBER = YearMonth.of(2026, 12);

    private static WsiQuota.Limits limits(Integer organizationMonthly, Integer perRun, Integer userMonthly) {
        return new WsiQuota.Limits("demo", organizationMonthly, perRun, "alice", userMonthly);
    }

    @Test
    void unsetLimitsAreUnlimited() {
        assertThat(WsiQuota.firstExceeded(
                        limits(null, null, null), new WsiQuota.Usage(DECEMBER, 1_000_000, 1_000_000), 500))
                .isEmpty();
    }

    @Test
    void aRunThatFillsTheMonthExactlyFits() {
        assertThat(WsiQuota.firstExceeded(limits(1000, null, 50), new WsiQuota.Usage(DECEMBER, 995, 45), 5))
                .isEmpty();
    }

    @Test
    void theOrganizationsMonthIsNamedWithItsLimitAndUsage() {
        QuotaExceeded exceeded = WsiQuota.firstExceeded(
                        limits(1000, null, null), new WsiQuota.Usage(DECEMBER, 998, 0), 5)
                .orElseThrow();

        assertThat(exceeded)
                .isEqualTo(new QuotaExceeded(QuotaKind.ORGANIZATION_MONTHLY_WSIS, "demo", 1000, 998, 5, DECEMBER));
        assertThat(exceeded.kind().code()).isEqualTo("QUOTA.ORGANIZATION_MONTHLY_WSIS");
        assertThat(exceeded.detail())
                .isEqualTo("organization demo's monthly WSIs would be exceeded: 998 of 1000 used in 2026-12, this"
                        + " run has 5");
    }

    @Test
    void theWorkedExampleRefusesAlicesSecondRunForHerOwnQuota() {
        QuotaExceeded exceeded = WsiQuota.firstExceeded(
                        limits(1000, null, 50), new WsiQuota.Usage(DECEMBER, 40, 40), 20)
                .orElseThrow();

        assertThat(exceeded.kind()).isEqualTo(QuotaKind.USER_MONTHLY_WSIS);
        assertThat(exceeded.subject()).isEqualTo("alice");
        assertThat(exceeded.kind().scope()).isEqualTo("user");
        assertThat(exceeded.detail()).contains("40 of 50 used in 2026-12, this run has 20");
    }

    @Test
    void perRunComesFirstThenTheOrganizationThenTheUser() {
        WsiQuota.Usage full = new WsiQuota.Usage(DECEMBER, 10, 10);
        assertThat(WsiQuota.firstExceeded(limits(10, 2, 10), full, 3)
                        .orElseThrow()
                        .kind())
                .isEqualTo(QuotaKind.WSIS_PER_RUN);
        assertThat(WsiQuota.firstExceeded(limits(10, 3, 10), full, 3)
                        .orElseThrow()
                        .kind())
                .isEqualTo(QuotaKind.ORGANIZATION_MONTHLY_WSIS);
        assertThat(WsiQuota.firstExceeded(limits(100, 3, 10), full, 3)
                        .orElseThrow()
                        .kind())
                .isEqualTo(QuotaKind.USER_MONTHLY_WSIS);
    }

    @Test
    void perRunHasNoPeriodAndNoUsage() {
        QuotaExceeded exceeded = WsiQuota.firstExceeded(
                        limits(null, 100, null), new WsiQuota.Usage(DECEMBER, 0, 0), 120)
                .orElseThrow();

        assertThat(exceeded.used()).isNull();
        assertThat(exceeded.period()).isNull();
        assertThat(exceeded.detail()).isEqualTo("organization demo allows at most 100 WSIs per run, this run has 120");
    }

    @Test
    void aZeroLimitRefusesEverythingButAnEmptyRun() {
        WsiQuota.Usage none = new WsiQuota.Usage(DECEMBER, 0, 0);
        assertThat(WsiQuota.firstExceeded(limits(0, null, null), none, 1)).isPresent();
        assertThat(WsiQuota.firstExceeded(limits(0, null, null), none, 0)).isEmpty();
    }

    @Test
    void hugeLimitsDoNotOverflow() {
        assertThat(WsiQuota.firstExceeded(
                        limits(Integer.MAX_VALUE, null, null),
                        new WsiQuota.Usage(DECEMBER, Integer.MAX_VALUE - 1, 0),
                        500))
                .isPresent();
    }

    @Test
    void remainingNeverGoesBelowZeroAndIsNullWhenUnlimited() {
        assertThat(WsiQuota.remaining(50, 40)).isEqualTo(10);
        assertThat(WsiQuota.remaining(50, 70)).isZero();
        assertThat(WsiQuota.remaining(null, 70)).isNull();
    }

    @Test
    void negativeRequestsAreAProgrammingError() {
        assertThatThrownBy(
                        () -> WsiQuota.firstExceeded(limits(null, null, null), new WsiQuota.Usage(DECEMBER, 0, 0), -1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
