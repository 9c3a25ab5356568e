package org.tessera.orchestrator.billing.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.tessera.orchestrator.billing.BillingSettings;
import org.tessera.orchestrator.billing.domain.Micros;
import org.tessera.orchestrator.billing.persistence.LedgerRepository;
import org.tessera.orchestrator.common.api.ApiException;
import org.tessera.orchestrator.common.persistence.Transactions;
import org.tessera.orchestrator.quota.persistence.WsiUsageRepository;
import org.tessera.orchestrator.tenancy.persistence.OrganizationRepository;

/**
 * An organization's usage and cost in a calendar month (UTC). Usage is the WSIs counted against the month's quota
 * (runs submitted in it); cost is what the ledger charged in it (items that succeeded in it), per user and per
 * application version. Amounts are exact: integer millionths, and the same as decimal text.
 */
@ApplicationScoped
public class CostReports {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record UserCost(String userId, int wsis, long chargedWsis, String amount, long amountMicros) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ApplicationCost(
            String applicationId, String applicationVersion, long chargedWsis, String amount, long amountMicros) {}

    /** One line of the CSV: a user's charges for one application version. */
    public record Line(
            String userId, String applicationId, String applicationVersion, long chargedWsis, long amountMicros) {}

    /**
     * The month's report.
     *
     * @param wsis WSIs counted against the month's quota
     * @param chargedWsis WSIs the ledger charged in the month
     * @param lines the charges per user and application version, for the CSV
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record CostReport(
            String organizationId,
            String month,
            String currency,
            int wsis,
            long chargedWsis,
            String amount,
            long amountMicros,
            List<UserCost> users,
            List<ApplicationCost> applications,
            @JsonIgnore List<Line> lines) {}

    @Inject
    DataSource dataSource;

    @Inject
    OrganizationRepository organizations;

    @Inject
    LedgerRepository ledger;

    @Inject
    WsiUsageRepository usage;

    @Inject
    BillingSettings settings;

    public CostReport organization(String organizationId, YearMonth month) {
        Instant from = month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant to = month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        return Transactions.inNew(dataSource, c -> {
            if (organizations.find(c, organizationId).isEmpty()) {
                throw ApiException.notFound("organization " + organizationId + " does not exist");
            }
            List<LedgerRepository.Total> totals = ledger.totals(c, organizationId, from, to);
            Map<String, Integer> wsisByUser = usage.byUser(c, organizationId, month);

            Map<String, long[]> byUser = new TreeMap<>();
            wsisByUser.keySet().forEach(user -> byUser.put(user, new long[2]));
            Map<List<String>, long[]> byApplication = new TreeMap<>((a, b) -> {
                int byId = a.get(0).compareTo(b.get(0));
                return byId != 0 ? byId : a.get(1).compareTo(b.get(1));
            });
            List<Line> lines = new ArrayList<>();
            long chargedWsis = 0;
            long amount = 0;
            for (LedgerRepository.Total total : totals) {
                add(byUser.computeIfAbsent(total.userId(), u -> new long[2]), total);
                add(
                        byApplication.computeIfAbsent(
                                List.of(total.applicationId(), total.versionNumber()), k -> new long[2]),
                        total);
                lines.add(new Line(
                        total.userId(),
                        total.applicationId(),
                        total.versionNumber(),
                        total.chargedWsis(),
                        total.amountMicros()));
                chargedWsis += total.chargedWsis();
                amount = Math.addExact(amount, total.amountMicros());
            }
            List<UserCost> users = new ArrayList<>();
            byUser.forEach((user, sums) -> users.add(
                    new UserCost(user, wsisByUser.getOrDefault(user, 0), sums[0], Micros.format(sums[1]), sums[1])));
            List<ApplicationCost> applications = new ArrayList<>();
            byApplication.forEach((key, sums) -> applications.add(
                    new ApplicationCost(key.get(0), key.get(1), sums[0], Micros.format(sums[1]), sums[1])));
            return new CostReport(
                    organizationId,
                    month.toString(),
                    settings.currency(),
                    wsisByUser.values().stream().mapToInt(Integer::intValue).sum(),
                    chargedWsis,
                    Micros.format(amount),
                    amount,
                    users,
                    applications,
                    lines);
        });
    }

    /** The report as CSV: one line per user and application version, with a header. */
    public static String csv(CostReport report) {
        StringBuilder csv = new StringBuilder(
                "organization_id,month,user_id,application_id,application_version,charged_wsis,amount,currency\r\n");
        for (Line line : report.lines()) {
            csv.append(String.join(
                            ",",
                            field(report.organizationId()),
                            report.month(),
                            field(line.userId()),
                            field(line.applicationId()),
                            field(line.applicationVersion()),
                            Long.toString(line.chargedWsis()),
                            Micros.format(line.amountMicros()),
                            report.currency()))
                    .append("\r\n");
        }
        return csv.toString();
    }

    /** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
    static String field(String value) {
        if (value == null) {
            return "";
        }
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    private static void add(long[] sums, LedgerRepository.Total total) {
        sums[0] += total.chargedWsis();
        sums[1] = Math.addExact(sums[1], total.amountMicros());
    }
}
