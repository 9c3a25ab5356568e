package org.tessera.orchestrator.run.persistence;

import static org.tessera.orchestrator.common.persistence.Jdbc.instant;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.tessera.contracts.RunState;
import org.tessera.orchestrator.common.persistence.Jdbc;
import org.tessera.orchestrator.common.persistence.SortFields;
import org.tessera.orchestrator.common.persistence.Table;
import org.tessera.orchestrator.common.tracing.TraceContext;
import org.tessera.orchestrator.run.domain.ItemCounts;

/** SQL for the {@code run} table. Every method works in the caller's connection (transaction). */
@ApplicationScoped
public class RunRepository {

    /** The per-state item counts, in the order {@link #withCounts} gives their values. */
    private static final String COUNT_COLUMNS =
            "pending_count, processing_count, succeeded_count, user_error_count, system_error_count, skipped_count";

    /** The run rules' columns (scheduling, callback context, error threshold), in the order {@link #insert} binds. */
    private static final String RULE_COLUMNS = "due_date, deadline, callback_context_text, failed_items_threshold";

    private static final String COLUMNS = "run_id, application_id, version_number, state, error_code,"
            + " error_message, custom_metadata_text, custom_metadata_checksum, organization_id, submitted_by,"
            + " submitted_at, updated_at, terminated_at, item_count, " + COUNT_COLUMNS + ", " + RULE_COLUMNS;

    private static final Table<RunRow> RUN = new Table<>("run", COLUMNS, RunRepository::read);

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

    /**
     * Inserts a run; its custom metadata text is stored as it is and, for filtering, as jsonb, beside the trace context
     * of the span that created it, which its slide jobs continue.
     */
    public void insert(Connection c, RunRow run, TraceContext trace) throws SQLException {
        Object[] params = withCounts(
                run.counts(),
                new Object[] {
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
                    run.counts().itemCount()
                },
                Arrays.asList(run.dueDate, run.deadline, run.callbackContextText, run.failedItemsThreshold),
                run.customMetadataText,
                trace.traceparent(),
                trace.tracestate());
        Jdbc.update(
                c,
                "INSERT INTO run (" + COLUMNS + ", custom_metadata, traceparent, tracestate) VALUES (?, ?, ?, ?, ?, ?,"
                        + " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?, ?)",
                params);
    }

    /** Reads a run without locking it. */
    public Optional<RunRow> find(Connection c, UUID runId) throws SQLException {
        return RUN.first(c, "run_id = ?", runId);
    }

    /** Reads and locks a run for the rest of the transaction. */
    public Optional<RunRow> lock(Connection c, UUID runId) throws SQLException {
        return RUN.first(c, "run_id = ? FOR UPDATE", runId);
    }

    /** Locks several runs, always in run id order so that concurrent transactions cannot deadlock on them. */
    public Map<UUID, RunRow> lockAll(Connection c, Collection<UUID> runIds) throws SQLException {
        return RUN.lockInIdOrder(c, "run_id", runIds, run -> run.runId);
    }

    /** The trace contexts kept for these runs; runs created without one are left out. */
    public Map<UUID, TraceContext> traceContexts(Connection c, Collection<UUID> runIds) throws SQLException {
        Map<UUID, TraceContext> traces = new HashMap<>();
        if (runIds.isEmpty()) {
            return traces;
        }
        for (var row : Jdbc.list(
                c,
                "SELECT run_id, traceparent, tracestate FROM run WHERE run_id = ANY(?) AND traceparent IS NOT NULL",
                rs -> Map.entry(rs.getObject(1, UUID.class), new TraceContext(rs.getString(2), rs.getString(3))),
                Jdbc.array("uuid", List.copyOf(runIds)))) {
            traces.put(row.getKey(), row.getValue());
        }
        return traces;
    }

    /**
     * Locks open runs whose deadline is at or before {@code now}, earliest first, skipping runs another transaction
     * holds (the next round gets them).
     */
    public List<RunRow> lockOverdue(Connection c, Instant now, int limit) throws SQLException {
        return RUN.select(
                c,
                "deadline <= ? AND state IN ('RECEIVED', 'SCHEDULED', 'RUNNING') ORDER BY deadline LIMIT ?"
                        + " FOR UPDATE SKIP LOCKED",
                now,
                limit);
    }

    /**
     * Locks those of the runs no other transaction holds, and leaves the others out: for work that can come back to a
     * run later (admitting waiting runs) and must never wait on, or deadlock with, a transaction ending that run.
     */
    public Map<UUID, RunRow> lockFree(Connection c, Collection<UUID> runIds) throws SQLException {
        Map<UUID, RunRow> free = new java.util.HashMap<>();
        if (!runIds.isEmpty()) {
            for (RunRow run : RUN.select(c, "run_id = ANY(?) FOR UPDATE SKIP LOCKED", Jdbc.array("uuid", runIds))) {
                free.put(run.runId, run);
            }
        }
        return free;
    }

    /** The organization's runs in progress (admitted, not terminal), per submitting user. */
    public Map<String, Integer> inProgressByUser(Connection c, String organizationId) throws SQLException {
        Map<String, Integer> byUser = new java.util.HashMap<>();
        for (Map.Entry<String, Integer> row : Jdbc.list(
                c,
                "SELECT submitted_by, runs FROM runs_in_progress WHERE organization_id = ? AND runs > 0",
                rs -> Map.entry(rs.getString(1), rs.getInt(2)),
                organizationId)) {
            byUser.put(row.getKey(), row.getValue());
        }
        return byUser;
    }

    public void update(Connection c, Collection<RunRow> runs) throws SQLException {
        Jdbc.batch(
                c,
                "UPDATE run SET version_number = ?, state = ?, error_code = ?, error_message = ?, updated_at = ?,"
                        + " terminated_at = ?, (" + COUNT_COLUMNS + ") = (?, ?, ?, ?, ?, ?),"
                        + " failed_items_threshold = ? WHERE run_id = ?",
                runs,
                run -> withCounts(
                        run.counts(),
                        new Object[] {
                            run.versionNumber,
                            run.state,
                            run.errorCode,
                            run.errorMessage,
                            run.updatedAt,
                            run.terminatedAt
                        },
                        Arrays.asList((Object) run.failedItemsThreshold),
                        run.runId));
    }

    public List<RunRow> list(Connection c, RunQuery query) throws SQLException {
        return RUN.listing(query.scope())
                .where("application_id = ?", query.applicationId())
                .where("version_number = ?", query.applicationVersion())
                .where(
                        "EXISTS (SELECT 1 FROM item WHERE item.run_id = run.run_id AND item.external_id = ?)",
                        query.externalId())
                .whereJsonPathMatches("custom_metadata", query.customMetadataPath())
                .orderBy(query.sort(), SORT_FIELDS)
                .page(query.page())
                .list(c);
    }

    /** Replaces the run's custom metadata: the text as the client sent it, the same as jsonb, and its checksum. */
    public void updateCustomMetadata(Connection c, UUID runId, String text, String checksum, Instant at)
            throws SQLException {
        Jdbc.update(
                c,
                "UPDATE run SET custom_metadata = CAST(? AS jsonb), custom_metadata_text = ?,"
                        + " custom_metadata_checksum = ?, updated_at = ? WHERE run_id = ?",
                text,
                text,
                checksum,
                at,
                runId);
    }

    /** How the run's outputs were deleted ({@code DELETED_BY_USER} or {@code DELETED_BY_SYSTEM}), if they were. */
    public Optional<String> outputsDeleted(Connection c, UUID runId) throws SQLException {
        return Jdbc.first(
                c,
                "SELECT outputs_deleted FROM run WHERE run_id = ? AND outputs_deleted IS NOT NULL",
                rs -> rs.getString(1),
                runId);
    }

    /** Records that the run's outputs are gone, and how. */
    public void markOutputsDeleted(Connection c, UUID runId, String how, Instant at) throws SQLException {
        Jdbc.update(c, "UPDATE run SET outputs_deleted = ?, outputs_deleted_at = ? WHERE run_id = ?", how, at, runId);
    }

    /**
     * Locks up to {@code limit} runs that terminated before the cut-off and whose outputs still exist, oldest first.
     * Rows another transaction holds (another replica's round, a user deleting outputs) are skipped, not waited for.
     */
    public List<UUID> lockOutputsTerminatedBefore(Connection c, Instant cutoff, int limit) throws SQLException {
        return Jdbc.list(
                c,
                "SELECT run_id FROM run WHERE terminated_at < ? AND outputs_deleted_at IS NULL"
                        + " ORDER BY terminated_at LIMIT ? FOR UPDATE SKIP LOCKED",
                rs -> rs.getObject(1, UUID.class),
                cutoff,
                limit);
    }

    /** Parameters: the values before, the run's per-state item counts (in {@link #COUNT_COLUMNS} order), one after. */
    private static Object[] withCounts(ItemCounts counts, Object[] before, Object after) {
        return withCounts(counts, before, List.of(), after);
    }

    /** Like {@link #withCounts(ItemCounts, Object[], Object)}, with more values between the counts and the last ones. */
    private static Object[] withCounts(ItemCounts counts, Object[] before, List<Object> between, Object... after) {
        List<Object> params = new ArrayList<>(Arrays.asList(before));
        params.addAll(List.of(
                counts.pending(),
                counts.processing(),
                counts.succeeded(),
                counts.userError(),
                counts.systemError(),
                counts.skipped()));
        params.addAll(between);
        params.addAll(Arrays.asList(after));
        return params.toArray();
    }

    private static RunRow read(ResultSet rs) throws SQLException {
        RunRow run = new RunRow(
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
        run.dueDate = instant(rs, "due_date");
        run.deadline = instant(rs, "deadline");
        run.callbackContextText = rs.getString("callback_context_text");
        run.failedItemsThreshold = rs.getObject("failed_items_threshold", Integer.class);
        return run;
    }
}
