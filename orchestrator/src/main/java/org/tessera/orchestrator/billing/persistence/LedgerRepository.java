package org.tessera.orchestrator.billing.persistence;

import static org.tessera.orchestrator.common.persistence.Jdbc.instant;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.tessera.orchestrator.common.persistence.Jdbc;
import org.tessera.orchestrator.common.persistence.Table;

/** SQL for {@code ledger_entry}. Entries are only ever inserted. Every method works in the caller's connection. */
@ApplicationScoped
public class LedgerRepository {

    private static final String COLUMNS = "entry_id, item_id, run_id, organization_id, user_id, application_id,"
            + " version_number, wsis, price_per_wsi_micros, amount_micros, currency, charged_at";

    private static final Table<LedgerEntryRow> ENTRY = new Table<>("ledger_entry", COLUMNS, LedgerRepository::read);

    /**
     * The charged amounts of an organization's month, summed per user, application and version.
     *
     * @param chargedWsis how many WSIs the entries charge
     */
    public record Total(
            String userId, String applicationId, String versionNumber, long chargedWsis, long amountMicros) {}

    /** Inserts the entry unless its item was charged already; true when it was inserted. */
    public boolean insert(Connection c, LedgerEntryRow e) throws SQLException {
        return Jdbc.update(
                        c,
                        "INSERT INTO ledger_entry (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                                + " ON CONFLICT DO NOTHING",
                        e.entryId(),
                        e.itemId(),
                        e.runId(),
                        e.organizationId(),
                        e.userId(),
                        e.applicationId(),
                        e.versionNumber(),
                        e.wsis(),
                        e.pricePerWsiMicros(),
                        e.amountMicros(),
                        e.currency(),
                        e.chargedAt())
                == 1;
    }

    /**
     * Inserts entries in one statement, leaving out those whose item was charged already (before, or twice in the
     * list); returns the ids of the entries it inserted.
     */
    public Set<UUID> insertAll(Connection c, List<LedgerEntryRow> entries) throws SQLException {
        if (entries.isEmpty()) {
            return Set.of();
        }
        // Timestamps travel as ISO-8601 text, which PostgreSQL casts to timestamptz.
        return new HashSet<>(Jdbc.list(
                c,
                "INSERT INTO ledger_entry (" + COLUMNS + ") SELECT * FROM unnest(CAST(? AS uuid[]), CAST(? AS uuid[]),"
                        + " CAST(? AS uuid[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]),"
                        + " CAST(? AS text[]), CAST(? AS integer[]), CAST(? AS bigint[]), CAST(? AS bigint[]),"
                        + " CAST(? AS text[]), CAST(? AS timestamptz[])) ON CONFLICT DO NOTHING RETURNING entry_id",
                rs -> rs.getObject(1, UUID.class),
                column(entries, "uuid", LedgerEntryRow::entryId),
                column(entries, "uuid", LedgerEntryRow::itemId),
                column(entries, "uuid", LedgerEntryRow::runId),
                column(entries, "text", LedgerEntryRow::organizationId),
                column(entries, "text", LedgerEntryRow::userId),
                column(entries, "text", LedgerEntryRow::applicationId),
                column(entries, "text", LedgerEntryRow::versionNumber),
                column(entries, "integer", LedgerEntryRow::wsis),
                column(entries, "bigint", LedgerEntryRow::pricePerWsiMicros),
                column(entries, "bigint", LedgerEntryRow::amountMicros),
                column(entries, "text", LedgerEntryRow::currency),
                column(entries, "text", e -> e.chargedAt().toString())));
    }

    private static Jdbc.SqlArray column(
            List<LedgerEntryRow> entries, String type, Function<LedgerEntryRow, Object> value) {
        return new Jdbc.SqlArray(type, entries.stream().map(value).toArray());
    }

    /** The organization's entries charged in {@code [from, to)}, oldest first. */
    public List<LedgerEntryRow> ofOrganization(Connection c, String organizationId, Instant from, Instant to)
            throws SQLException {
        return ENTRY.select(
                c,
                "organization_id = ? AND charged_at >= ? AND charged_at < ? ORDER BY charged_at, entry_id",
                organizationId,
                from,
                to);
    }

    /** The organization's charges in {@code [from, to)} per user, application and version. */
    public List<Total> totals(Connection c, String organizationId, Instant from, Instant to) throws SQLException {
        return Jdbc.list(
                c,
                "SELECT user_id, application_id, version_number, sum(wsis), sum(amount_micros) FROM ledger_entry"
                        + " WHERE organization_id = ? AND charged_at >= ? AND charged_at < ?"
                        + " GROUP BY user_id, application_id, version_number"
                        + " ORDER BY user_id, application_id, version_number",
                rs -> new Total(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5)),
                organizationId,
                from,
                to);
    }

    private static LedgerEntryRow read(ResultSet rs) throws SQLException {
        return new LedgerEntryRow(
                rs.getObject("entry_id", UUID.class),
                rs.getObject("item_id", UUID.class),
                rs.getObject("run_id", UUID.class),
                rs.getString("organization_id"),
                rs.getString("user_id"),
                rs.getString("application_id"),
                rs.getString("version_number"),
                rs.getInt("wsis"),
                rs.getLong("price_per_wsi_micros"),
                rs.getLong("amount_micros"),
                rs.getString("currency"),
                instant(rs, "charged_at"));
    }
}
