package org.tessera.orchestrator.run.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.tessera.contracts.RunState;
import org.tessera.orchestrator.item.domain.ItemState;
import org.tessera.orchestrator.run.domain.ItemCounts;

/** SQL for runs, items and their output artifacts. Every method works in the caller's connection (transaction). */
@ApplicationScoped
public class RunRepository {

    private static final String RUN_COLUMNS = "run_id, application_id, version_number, state, error_code,"
            + " error_message, custom_metadata_text, custom_metadata_checksum, organization_id, submitted_by,"
            + " submitted_at, updated_at, terminated_at, item_count, pending_count, processing_count,"
            + " succeeded_count, user_error_count, system_error_count, skipped_count";

    private static final String ITEM_COLUMNS = "item_id, run_id, position, external_id, custom_metadata_text,"
            + " custom_metadata_checksum, input_artifacts, state, attempt, error_code, error_message, worker_id,"
            + " progress_stage, tiles_done, tiles_total, last_event_at, started_at, terminated_at, updated_at";

    private static final String OUTPUT_COLUMNS = "output_artifact_id, run_id, item_id, position, name, object_key,"
            + " media_type, size_bytes, checksum_base64_crc32c, output, created_at, extra_metadata";

    private static final String RUN_TERMINATION_REASON = "CASE state"
            + " WHEN 'COMPLETED' THEN 'ALL_ITEMS_PROCESSED' WHEN 'COMPLETED_WITH_ERROR' THEN 'ALL_ITEMS_PROCESSED'"
            + " WHEN 'REJECTED' THEN 'CANCELED_BY_SYSTEM' WHEN 'CANCELLED_BY_SYSTEM' THEN 'CANCELED_BY_SYSTEM'"
            + " WHEN 'CANCELLED_BY_USER' THEN 'CANCELED_BY_USER' END";

    private static final String RUN_API_STATE = "CASE state WHEN 'RECEIVED' THEN 'PENDING'"
            + " WHEN 'SCHEDULED' THEN 'PENDING' WHEN 'RUNNING' THEN 'PROCESSING' ELSE 'TERMINATED' END";

    /** The sort fields {@code GET /v1/runs} accepts, and the SQL each stands for. */
    public static final Map<String, String> RUN_SORT_FIELDS = orderedMap(
            "run_id", "run_id",
            "application_id", "application_id",
            "version_number", "version_number",
            "custom_metadata", "custom_metadata",
            "submitted_at", "submitted_at",
            "submitted_by", "submitted_by",
            "terminated_at", "terminated_at",
            "termination_reason", RUN_TERMINATION_REASON,
            "state", RUN_API_STATE);

    /** The sort fields {@code GET /v1/runs/{id}/items} accepts, and the SQL each stands for. */
    public static final Map<String, String> ITEM_SORT_FIELDS = orderedMap(
            "item_id",
            "item_id",
            "external_id",
            "external_id",
            "custom_metadata",
            "custom_metadata",
            "terminated_at",
            "terminated_at",
            "termination_reason",
            "CASE WHEN state IN ('SUCCEEDED', 'USER_ERROR', 'SYSTEM_ERROR', 'SKIPPED') THEN state END",
            "state",
            "CASE state WHEN 'PENDING' THEN 'PENDING' WHEN 'PROCESSING' THEN 'PROCESSING' ELSE 'TERMINATED' END");

    // ---- runs

    public void insertRun(Connection c, RunRow run, String customMetadataJson) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO run (" + RUN_COLUMNS + ", custom_metadata)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb))")) {
            int i = 1;
            ps.setObject(i++, run.runId);
            ps.setString(i++, run.applicationId);
            ps.setString(i++, run.versionNumber);
            ps.setString(i++, run.state.name());
            ps.setString(i++, run.errorCode);
            ps.setString(i++, run.errorMessage);
            ps.setString(i++, run.customMetadataText);
            ps.setString(i++, run.customMetadataChecksum);
            ps.setString(i++, run.organizationId);
            ps.setString(i++, run.submittedBy);
            ps.setObject(i++, utc(run.submittedAt));
            ps.setObject(i++, utc(run.updatedAt));
            ps.setObject(i++, utc(run.terminatedAt));
            ItemCounts counts = run.counts();
            ps.setInt(i++, counts.itemCount());
            ps.setInt(i++, counts.pending());
            ps.setInt(i++, counts.processing());
            ps.setInt(i++, counts.succeeded());
            ps.setInt(i++, counts.userError());
            ps.setInt(i++, counts.systemError());
            ps.setInt(i++, counts.skipped());
            ps.setString(i, customMetadataJson);
            ps.executeUpdate();
        }
    }

    /** Reads a run without locking it. */
    public Optional<RunRow> findRun(Connection c, UUID runId) throws SQLException {
        return selectRun(c, "SELECT " + RUN_COLUMNS + " FROM run WHERE run_id = ?", runId);
    }

    /** Reads and locks a run for the rest of the transaction. */
    public Optional<RunRow> lockRun(Connection c, UUID runId) throws SQLException {
        return selectRun(c, "SELECT " + RUN_COLUMNS + " FROM run WHERE run_id = ? FOR UPDATE", runId);
    }

    /** Locks several runs, always in run id order so that concurrent transactions cannot deadlock on them. */
    public Map<UUID, RunRow> lockRuns(Connection c, Collection<UUID> runIds) throws SQLException {
        return lockInIdOrder(c, "run", "run_id", RUN_COLUMNS, runIds, RunRepository::readRun, run -> run.runId);
    }

    public void updateRuns(Connection c, Collection<RunRow> runs) throws SQLException {
        if (runs.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE run SET version_number = ?, state = ?,"
                + " error_code = ?, error_message = ?, updated_at = ?, terminated_at = ?, pending_count = ?,"
                + " processing_count = ?, succeeded_count = ?, user_error_count = ?, system_error_count = ?,"
                + " skipped_count = ? WHERE run_id = ?")) {
            for (RunRow run : runs) {
                int i = 1;
                ps.setString(i++, run.versionNumber);
                ps.setString(i++, run.state.name());
                ps.setString(i++, run.errorCode);
                ps.setString(i++, run.errorMessage);
                ps.setObject(i++, utc(run.updatedAt));
                ps.setObject(i++, utc(run.terminatedAt));
                ItemCounts counts = run.counts();
                ps.setInt(i++, counts.pending());
                ps.setInt(i++, counts.processing());
                ps.setInt(i++, counts.succeeded());
                ps.setInt(i++, counts.userError());
                ps.setInt(i++, counts.systemError());
                ps.setInt(i++, counts.skipped());
                ps.setObject(i, run.runId);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public List<RunRow> listRuns(Connection c, RunQuery query) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + RUN_COLUMNS + " FROM run WHERE submitted_by = ?");
        List<Object> args = new ArrayList<>();
        args.add(query.submittedBy());
        if (query.applicationId() != null) {
            sql.append(" AND application_id = ?");
            args.add(query.applicationId());
        }
        if (query.applicationVersion() != null) {
            sql.append(" AND version_number = ?");
            args.add(query.applicationVersion());
        }
        if (query.externalId() != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM item WHERE item.run_id = run.run_id AND item.external_id = ?)");
            args.add(query.externalId());
        }
        if (query.customMetadataPath() != null) {
            // Same semantics as the @? operator (structural errors are "no match"); @? itself would clash with
            // JDBC's ? placeholders.
            sql.append(" AND jsonb_path_exists(custom_metadata, CAST(? AS jsonpath), '{}', true)");
            args.add(query.customMetadataPath());
        }
        sql.append(orderBy(query.sort(), RUN_SORT_FIELDS, "submitted_at DESC", "run_id"));
        sql.append(" LIMIT ? OFFSET ?");
        args.add(query.pageSize());
        args.add((long) (query.page() - 1) * query.pageSize());
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                List<RunRow> runs = new ArrayList<>();
                while (rs.next()) {
                    runs.add(readRun(rs));
                }
                return runs;
            }
        }
    }

    private Optional<RunRow> selectRun(Connection c, String sql, UUID runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(readRun(rs)) : Optional.empty();
            }
        }
    }

    private static RunRow readRun(ResultSet rs) throws SQLException {
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

    // ---- items

    /**
     * Inserts items.
     *
     * @param customMetadataJson per item, the JSON to store in the jsonb column (null for none)
     */
    public void insertItems(Connection c, List<ItemRow> items, List<String> customMetadataJson) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO item (item_id, run_id, position, external_id,"
                + " custom_metadata, custom_metadata_text, custom_metadata_checksum, input_artifacts, state,"
                + " attempt, updated_at) VALUES (?, ?, ?, ?, CAST(? AS jsonb), ?, ?, CAST(? AS json), ?, ?, ?)")) {
            for (int n = 0; n < items.size(); n++) {
                ItemRow item = items.get(n);
                int i = 1;
                ps.setObject(i++, item.itemId);
                ps.setObject(i++, item.runId);
                ps.setInt(i++, item.position);
                ps.setString(i++, item.externalId);
                ps.setString(i++, customMetadataJson.get(n));
                ps.setString(i++, item.customMetadataText);
                ps.setString(i++, item.customMetadataChecksum);
                ps.setString(i++, item.inputArtifactsJson);
                ps.setString(i++, item.state.name());
                ps.setInt(i++, item.attempt);
                ps.setObject(i, utc(item.updatedAt));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Locks items; callers lock the items' runs first. */
    public Map<UUID, ItemRow> lockItems(Connection c, Collection<UUID> itemIds) throws SQLException {
        return lockInIdOrder(c, "item", "item_id", ITEM_COLUMNS, itemIds, RunRepository::readItem, item -> item.itemId);
    }

    /** Reads one row of a result set. */
    @FunctionalInterface
    private interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /**
     * Locks rows by id, always in id order so that concurrent transactions locking overlapping sets cannot deadlock.
     */
    private static <T> Map<UUID, T> lockInIdOrder(
            Connection c,
            String table,
            String idColumn,
            String columns,
            Collection<UUID> ids,
            RowReader<T> reader,
            java.util.function.Function<T, UUID> idOf)
            throws SQLException {
        Map<UUID, T> rows = new HashMap<>();
        if (ids.isEmpty()) {
            return rows;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT " + columns + " FROM " + table + " WHERE " + idColumn
                + " = ANY(?) ORDER BY " + idColumn + " FOR UPDATE")) {
            ps.setArray(1, uuidArray(c, ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    T row = reader.read(rs);
                    rows.put(idOf.apply(row), row);
                }
            }
        }
        return rows;
    }

    public List<ItemRow> itemsOfRun(Connection c, UUID runId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT " + ITEM_COLUMNS + " FROM item WHERE run_id = ? ORDER BY position")) {
            ps.setObject(1, runId);
            return readItems(ps);
        }
    }

    public Optional<ItemRow> findItem(Connection c, UUID runId, String externalId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT " + ITEM_COLUMNS + " FROM item WHERE run_id = ? AND external_id = ?")) {
            ps.setObject(1, runId);
            ps.setString(2, externalId);
            List<ItemRow> items = readItems(ps);
            return items.isEmpty() ? Optional.empty() : Optional.of(items.getFirst());
        }
    }

    public List<ItemRow> listItems(Connection c, ItemQuery query) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + ITEM_COLUMNS + " FROM item WHERE run_id = ?");
        List<Object> args = new ArrayList<>();
        args.add(query.runId());
        if (query.states() != null) {
            sql.append(" AND state = ANY(?)");
            args.add(query.states().stream().map(Enum::name).toArray(String[]::new));
        }
        if (query.externalIds() != null && !query.externalIds().isEmpty()) {
            sql.append(" AND external_id = ANY(?)");
            args.add(query.externalIds().toArray(String[]::new));
        }
        if (query.itemIds() != null && !query.itemIds().isEmpty()) {
            sql.append(" AND item_id = ANY(?)");
            args.add(query.itemIds().toArray(UUID[]::new));
        }
        if (query.customMetadataPath() != null) {
            sql.append(" AND jsonb_path_exists(custom_metadata, CAST(? AS jsonpath), '{}', true)");
            args.add(query.customMetadataPath());
        }
        sql.append(orderBy(query.sort(), ITEM_SORT_FIELDS, "position", "position"));
        sql.append(" LIMIT ? OFFSET ?");
        args.add(query.pageSize());
        args.add((long) (query.page() - 1) * query.pageSize());
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            bind(ps, args);
            return readItems(ps);
        }
    }

    /** Writes items back in one statement (a batch of events touches up to a few hundred). */
    public void updateItems(Connection c, Collection<ItemRow> items) throws SQLException {
        if (items.isEmpty()) {
            return;
        }
        int n = items.size();
        UUID[] ids = new UUID[n];
        String[] states = new String[n];
        Integer[] attempts = new Integer[n];
        String[] errorCodes = new String[n];
        String[] errorMessages = new String[n];
        String[] workers = new String[n];
        String[] stages = new String[n];
        Long[] tilesDone = new Long[n];
        Long[] tilesTotal = new Long[n];
        String[] lastEvents = new String[n];
        String[] starts = new String[n];
        String[] ends = new String[n];
        String[] updates = new String[n];
        int k = 0;
        for (ItemRow item : items) {
            ids[k] = item.itemId;
            states[k] = item.state.name();
            attempts[k] = item.attempt;
            errorCodes[k] = item.errorCode;
            errorMessages[k] = item.errorMessage;
            workers[k] = item.workerId;
            stages[k] = item.progressStage;
            tilesDone[k] = item.tilesDone;
            tilesTotal[k] = item.tilesTotal;
            lastEvents[k] = text(item.lastEventAt);
            starts[k] = text(item.startedAt);
            ends[k] = text(item.terminatedAt);
            updates[k] = text(item.updatedAt);
            k++;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE item AS i SET state = u.state, attempt = u.attempt,"
                + " error_code = u.error_code, error_message = u.error_message, worker_id = u.worker_id,"
                + " progress_stage = u.progress_stage, tiles_done = u.tiles_done, tiles_total = u.tiles_total,"
                + " last_event_at = u.last_event_at, started_at = u.started_at, terminated_at = u.terminated_at,"
                + " updated_at = u.updated_at"
                + " FROM unnest(CAST(? AS uuid[]), CAST(? AS text[]), CAST(? AS integer[]), CAST(? AS text[]),"
                + " CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS bigint[]),"
                + " CAST(? AS bigint[]), CAST(? AS timestamptz[]), CAST(? AS timestamptz[]),"
                + " CAST(? AS timestamptz[]), CAST(? AS timestamptz[]))"
                + " AS u(item_id, state, attempt, error_code, error_message, worker_id, progress_stage, tiles_done,"
                + " tiles_total, last_event_at, started_at, terminated_at, updated_at)"
                + " WHERE i.item_id = u.item_id")) {
            int p = 1;
            ps.setArray(p++, c.createArrayOf("uuid", ids));
            ps.setArray(p++, c.createArrayOf("text", states));
            ps.setArray(p++, c.createArrayOf("integer", attempts));
            ps.setArray(p++, c.createArrayOf("text", errorCodes));
            ps.setArray(p++, c.createArrayOf("text", errorMessages));
            ps.setArray(p++, c.createArrayOf("text", workers));
            ps.setArray(p++, c.createArrayOf("text", stages));
            ps.setArray(p++, c.createArrayOf("bigint", tilesDone));
            ps.setArray(p++, c.createArrayOf("bigint", tilesTotal));
            ps.setArray(p++, c.createArrayOf("text", lastEvents));
            ps.setArray(p++, c.createArrayOf("text", starts));
            ps.setArray(p++, c.createArrayOf("text", ends));
            ps.setArray(p, c.createArrayOf("text", updates));
            ps.executeUpdate();
        }
    }

    /**
     * Moves every open item of a run to SKIPPED (the item lifecycle's SKIP rule, applied in bulk) and returns how
     * many were skipped.
     */
    public int skipOpenItems(Connection c, UUID runId, String message, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE item SET state = 'SKIPPED', error_message = ?,"
                + " terminated_at = ?, updated_at = ? WHERE run_id = ? AND state IN ('PENDING', 'PROCESSING')")) {
            ps.setString(1, message);
            ps.setObject(2, utc(now));
            ps.setObject(3, utc(now));
            ps.setObject(4, runId);
            return ps.executeUpdate();
        }
    }

    /** Items that have been PROCESSING without word from their worker since {@code silentSince}. */
    public List<ItemRow> silentItems(Connection c, Instant silentSince, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + ITEM_COLUMNS + " FROM item"
                + " WHERE state = 'PROCESSING' AND last_event_at < ? ORDER BY last_event_at LIMIT ?")) {
            ps.setObject(1, utc(silentSince));
            ps.setInt(2, limit);
            return readItems(ps);
        }
    }

    private List<ItemRow> readItems(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            List<ItemRow> items = new ArrayList<>();
            while (rs.next()) {
                items.add(readItem(rs));
            }
            return items;
        }
    }

    private static ItemRow readItem(ResultSet rs) throws SQLException {
        ItemRow item = new ItemRow(
                rs.getObject("item_id", UUID.class),
                rs.getObject("run_id", UUID.class),
                rs.getInt("position"),
                rs.getString("external_id"),
                rs.getString("custom_metadata_text"),
                rs.getString("custom_metadata_checksum"),
                rs.getString("input_artifacts"),
                ItemState.valueOf(rs.getString("state")),
                rs.getInt("attempt"),
                instant(rs, "updated_at"));
        item.errorCode = rs.getString("error_code");
        item.errorMessage = rs.getString("error_message");
        item.workerId = rs.getString("worker_id");
        item.progressStage = rs.getString("progress_stage");
        item.tilesDone = getLong(rs, "tiles_done");
        item.tilesTotal = getLong(rs, "tiles_total");
        item.lastEventAt = instant(rs, "last_event_at");
        item.startedAt = instant(rs, "started_at");
        item.terminatedAt = instant(rs, "terminated_at");
        return item;
    }

    // ---- output artifacts

    /** Stores outputs; a repeated report for the same item and name replaces the earlier one. */
    public void upsertOutputs(Connection c, List<OutputArtifactRow> outputs) throws SQLException {
        if (outputs.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO output_artifact (" + OUTPUT_COLUMNS + ")"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::json) ON CONFLICT (item_id, name) DO UPDATE SET"
                + " object_key = EXCLUDED.object_key, media_type = EXCLUDED.media_type,"
                + " size_bytes = EXCLUDED.size_bytes, checksum_base64_crc32c = EXCLUDED.checksum_base64_crc32c,"
                + " output = EXCLUDED.output, extra_metadata = EXCLUDED.extra_metadata")) {
            for (OutputArtifactRow o : outputs) {
                int i = 1;
                ps.setObject(i++, o.outputArtifactId());
                ps.setObject(i++, o.runId());
                ps.setObject(i++, o.itemId());
                ps.setInt(i++, o.position());
                ps.setString(i++, o.name());
                ps.setString(i++, o.objectKey());
                ps.setString(i++, o.mediaType());
                ps.setLong(i++, o.sizeBytes());
                ps.setString(i++, o.checksumBase64Crc32c());
                ps.setString(i++, o.output());
                ps.setObject(i++, utc(o.createdAt()));
                ps.setString(i, o.extraMetadataJson());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The outputs of the given items, each item's in the order the worker reported them. */
    public Map<UUID, List<OutputArtifactRow>> outputsOf(Connection c, Collection<UUID> itemIds) throws SQLException {
        Map<UUID, List<OutputArtifactRow>> outputs = new LinkedHashMap<>();
        if (itemIds.isEmpty()) {
            return outputs;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT " + OUTPUT_COLUMNS
                + " FROM output_artifact WHERE item_id = ANY(?) ORDER BY item_id, position")) {
            ps.setArray(1, uuidArray(c, itemIds));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    OutputArtifactRow row = readOutput(rs);
                    outputs.computeIfAbsent(row.itemId(), k -> new ArrayList<>())
                            .add(row);
                }
            }
        }
        return outputs;
    }

    public Optional<OutputArtifactRow> findOutput(Connection c, UUID runId, UUID outputArtifactId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + OUTPUT_COLUMNS + " FROM output_artifact WHERE run_id = ? AND output_artifact_id = ?")) {
            ps.setObject(1, runId);
            ps.setObject(2, outputArtifactId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(readOutput(rs)) : Optional.empty();
            }
        }
    }

    public List<OutputArtifactRow> outputsOfRun(Connection c, UUID runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + OUTPUT_COLUMNS + " FROM output_artifact WHERE run_id = ? ORDER BY item_id, position")) {
            ps.setObject(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                List<OutputArtifactRow> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(readOutput(rs));
                }
                return rows;
            }
        }
    }

    public int markOutputsDeleted(Connection c, UUID runId, String output) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("UPDATE output_artifact SET output = ? WHERE run_id = ? AND output = 'AVAILABLE'")) {
            ps.setString(1, output);
            ps.setObject(2, runId);
            return ps.executeUpdate();
        }
    }

    private static OutputArtifactRow readOutput(ResultSet rs) throws SQLException {
        return new OutputArtifactRow(
                rs.getObject("output_artifact_id", UUID.class),
                rs.getObject("run_id", UUID.class),
                rs.getObject("item_id", UUID.class),
                rs.getInt("position"),
                rs.getString("name"),
                rs.getString("object_key"),
                rs.getString("media_type"),
                rs.getLong("size_bytes"),
                rs.getString("checksum_base64_crc32c"),
                rs.getString("output"),
                instant(rs, "created_at"),
                rs.getString("extra_metadata"));
    }

    // ---- helpers

    private static String orderBy(
            List<SortOrder> sort, Map<String, String> allowed, String defaultOrder, String tieBreaker) {
        StringBuilder order = new StringBuilder(" ORDER BY ");
        if (sort.isEmpty()) {
            order.append(defaultOrder);
        } else {
            for (int i = 0; i < sort.size(); i++) {
                SortOrder s = sort.get(i);
                String expression = allowed.get(s.field());
                if (expression == null) {
                    throw new IllegalArgumentException("unsupported sort field " + s.field());
                }
                order.append(i == 0 ? "" : ", ").append(expression).append(s.descending() ? " DESC" : " ASC");
            }
        }
        // A total order, so that pages neither repeat nor skip rows.
        return order.append(", ").append(tieBreaker).toString();
    }

    private static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            Object arg = args.get(i);
            switch (arg) {
                case String[] strings -> ps.setArray(i + 1, ps.getConnection().createArrayOf("text", strings));
                case UUID[] uuids -> ps.setArray(i + 1, ps.getConnection().createArrayOf("uuid", uuids));
                default -> ps.setObject(i + 1, arg);
            }
        }
    }

    static Array uuidArray(Connection c, Collection<UUID> ids) throws SQLException {
        return c.createArrayOf("uuid", ids.toArray());
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static Long getLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private static Map<String, String> orderedMap(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(map);
    }
}
