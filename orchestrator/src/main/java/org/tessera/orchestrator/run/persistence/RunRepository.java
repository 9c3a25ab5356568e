package org.tessera.orchestrator.run.persistence;

import static org.tessera.orchestrator.common.persistence.Jdbc.instant;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.tessera.contracts.RunState;
import org.tessera.orchestrator.common.persistence.Jdbc;
import org.tessera.orchestrator.common.persistence.Listing;
import org.tessera.orchestrator.common.persistence.SortFields;
import org.tessera.orchestrator.run.domain.ItemCounts;

/** SQL for the {@code run} table. Every method works in the caller's connection (transaction). */
@ApplicationScoped
public class RunRepository {

    private static final String COLUMNS = "run_id, application_id, version_number, state, error_code,"
            + " error_message, custom_metadata_text, custom_metadata_checksum, organization_id, submitted_by,"
            + " submitted_at, updated_at, terminated_at, item_count, pending_count, processing_count,"
            + " succeeded_count, user_error_count, system_error_count, skipped_count";

    private static final String TERMINATION_REASON = "CASE state"
            + " WHEN 'COMPLETED' THEN 'ALL_ITEMS_PROCESSED' WHEN 'COMPLETED_WITH_ERROR' THEN 'ALL_ITEMS_PROCESSED'"
            + " WHEN 'REJECTED' THEN 'CANCELED_BY_SYSTEM' WHEN 'CANCELLED_BY_SYSTEM' THEN 'CANCELED_BY_SYSTEM'"
            + " WHEN 'CANCELLED_BY_USER' THEN 'CANCELED_BY_USER' END";

    private static final String API_STATE = "CASE state WHEN 'RECEIVED' THEN 'PENDING'"
            + " WHEN 'SCHEDULED' THEN 'PENDING' WHEN 'RUNNING' THEN 'PROCESSING' ELSE 'TERMINATED' END";

    /** The sort fields {@code GET /v1/runs} accepts, and the SQL each stands for. */
    public static final SortFields SORT_FIELDS = SortFields.of(
            "submitted_at DESC",
            "run_id",
            "run_id",
            "run_id",
            "application_id",
            "application_id",
            "version_number",
            "version_number",
            "custom_metadata",
            "custom_metadata",
            "submitted_at",
            "submitted_at",
            "submitted_by",
            "submitted_by",
            "terminated_at",
            "terminated_at",
            "termination_reason",
            TERMINATION_REASON,
            "state",
            API_STATE);

    /** Inserts a run; its custom metadata text is stored as it is and, for filtering, as jsonb. */
    public void insert(Connection c, RunRow run) throws SQLException {
        ItemCounts counts = run.counts();
        Jdbc.update(
                c,
                "INSERT INTO run (" + COLUMNS + ", custom_metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                        + " ?, ?, ?, ?, ?, ?, CAST(? AS jsonb))",
                run.runId,
                run.applicationId,
                run.versionNumber,
                run.state,
                run.errorCode,
                run.errorMessage,
                run.customMetadataText,
                run.customMetadataChecksum,
                run.organizationId,
                run.submittedBy,
                run.submittedAt,
                run.updatedAt,
                run.terminatedAt,
                counts.itemCount(),
                counts.pending(),
                counts.processing(),
                counts.succeeded(),
                counts.userError(),
                counts.systemError(),
                counts.skipped(),
                run.customMetadataText);
    }

    /** Reads a run without locking it. */
    public Optional<RunRow> find(Connection c, UUID runId) throws SQLException {
        return Jdbc.first(c, "SELECT " + COLUMNS + " FROM run WHERE run_id = ?", RunRepository::read, runId);
    }

    /** Reads and locks a run for the rest of the transaction. */
    public Optional<RunRow> lock(Connection c, UUID runId) throws SQLException {
        return Jdbc.first(c, "SELECT " + COLUMNS + " FROM run WHERE run_id = ? FOR UPDATE", RunRepository::read, runId);
    }

    /** Locks several runs, always in run id order so that concurrent transactions cannot deadlock on them. */
    public Map<UUID, RunRow> lockAll(Connection c, Collection<UUID> runIds) throws SQLException {
        return Jdbc.lockInIdOrder(c, "run", "run_id", COLUMNS, runIds, RunRepository::read, run -> run.runId);
    }

    public void update(Connection c, Collection<RunRow> runs) throws SQLException {
        Jdbc.batch(
                c,
                "UPDATE run SET version_number = ?, state = ?, error_code = ?, error_message = ?, updated_at = ?,"
                        + " terminated_at = ?, pending_count = ?, processing_count = ?, succeeded_count = ?,"
                        + " user_error_count = ?, system_error_count = ?, skipped_count = ? WHERE run_id = ?",
                runs,
                run -> {
                    ItemCounts counts = run.counts();
                    return new Object[] {
                        run.versionNumber,
                        run.state,
                        run.errorCode,
                        run.errorMessage,
                        run.updatedAt,
                        run.terminatedAt,
                        counts.pending(),
                        counts.processing(),
                        counts.succeeded(),
                        counts.userError(),
                        counts.systemError(),
                        counts.skipped(),
                        run.runId
                    };
                });
    }

    public List<RunRow> list(Connection c, RunQuery query) throws SQLException {
        return Listing.from("run", COLUMNS, "submitted_by = ?", query.submittedBy())
                .where("application_id = ?", query.applicationId())
                .where("version_number = ?", query.applicationVersion())
                .where(
                        "EXISTS (SELECT 1 FROM item WHERE item.run_id = run.run_id AND item.external_id = ?)",
                        query.externalId())
                .whereJsonPathMatches("custom_metadata", query.customMetadataPath())
                .orderBy(query.sort(), SORT_FIELDS)
                .page(query.page())
                .list(c, RunRepository::read);
    }

    private static RunRow read(ResultSet rs) throws SQLException {
        return new RunRow(
                rs.getObject("run_id", UUID.class),
                rs.getString("application_id"),
                rs.getString("version_number"),
                RunState.valueOf(rs.getString("state")),
                rs.getString("error_code"),
                rs.getString("error_message"),
                rs.getString("custom_metadata_text"),
                rs.getString("custom_metadata_checksum"),
                rs.getString("organization_id"),
                rs.getString("submitted_by"),
                instant(rs, "submitted_at"),
                instant(rs, "updated_at"),
                instant(rs, "terminated_at"),
                new ItemCounts(
                        rs.getInt("item_count"),
                        rs.getInt("pending_count"),
                        rs.getInt("processing_count"),
                        rs.getInt("succeeded_count"),
                        rs.getInt("user_error_count"),
                        rs.getInt("system_error_count"),
                        rs.getInt("skipped_count")));
    }
}
