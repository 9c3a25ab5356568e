package org.tessera.orchestrator.item.persistence;

import static org.tessera.orchestrator.common.persistence.Jdbc.instant;
import static org.tessera.orchestrator.common.persistence.Jdbc.nullableLong;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.tessera.orchestrator.common.persistence.CopyRows;
import org.tessera.orchestrator.common.persistence.Jdbc;
import org.tessera.orchestrator.common.persistence.SortFields;
import org.tessera.orchestrator.common.persistence.Table;
import org.tessera.orchestrator.item.domain.ItemState;

/** SQL for the {@code item} table. Every method works in the caller's connection (transaction). */
@ApplicationScoped
public class ItemRepository {

    private static final String COLUMNS = "item_id, run_id, position, external_id, custom_metadata_text,"
            + " custom_metadata_checksum, input_artifacts, state, attempt, error_code, error_message, worker_id,"
            + " progress_stage, tiles_done, tiles_total, bytes_done, bytes_total, progressed_at, last_event_at,"
            + " started_at, terminated_at, updated_at";

    private static final Table<ItemRow> ITEM = new Table<>("item", COLUMNS, ItemRepository::read);

    /** A column {@link #update} writes: its name, its SQL type and the value an item holds for it. */
    private record Written(String name, String type, Function<ItemRow, Object> value) {}

    /** What a batch of events can change, item_id first (it identifies the row). */
    private static final List<Written> WRITTEN = List.of(
            new Written("item_id", "uuid", item -> item.itemId),
            new Written("state", "text", item -> item.state.name()),
            new Written("attempt", "integer", item -> item.attempt),
            new Written("error_code", "text", item -> item.errorCode),
            new Written("error_message", "text", item -> item.errorMessage),
            new Written("worker_id", "text", item -> item.workerId),
            new Written("progress_stage", "text", item -> item.progressStage),
            new Written("tiles_done", "bigint", item -> item.tilesDone),
            new Written("tiles_total", "bigint", item -> item.tilesTotal),
            new Written("bytes_done", "bigint", item -> item.bytesDone),
            new Written("bytes_total", "bigint", item -> item.bytesTotal),
            new Written("progressed_at", "timestamptz", item -> text(item.progressedAt)),
            new Written("last_event_at", "timestamptz", item -> text(item.lastEventAt)),
            new Written("started_at", "timestamptz", item -> text(item.startedAt)),
            new Written("terminated_at", "timestamptz", item -> text(item.terminatedAt)),
            new Written("updated_at", "timestamptz", item -> text(item.updatedAt)));

    private static final String UPDATE = "UPDATE item AS i SET "
            + WRITTEN.stream().skip(1).map(w -> w.name() + " = u." + w.name()).collect(Collectors.joining(", "))
            + " FROM unnest("
            + WRITTEN.stream().map(w -> "CAST(? AS " + w.type() + "[])").collect(Collectors.joining(", "))
            + ") AS u(" + WRITTEN.stream().map(Written::name).collect(Collectors.joining(", ")) + ")"
            + " WHERE i.item_id = u.item_id";

    /** The sort fields {@code GET /v1/runs/{id}/items} accepts, and the SQL each stands for. */
    public static final SortFields SORT_FIELDS = SortFields.of(
            "position",
            "position",
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

    /**
     * Inserts items; their custom metadata text is stored as it is and, for filtering, as jsonb. One {@code COPY} for
     * all of them: a 500-item run is PostgreSQL's largest write of a submission.
     */
    public void insert(Connection c, Collection<ItemRow> items) throws SQLException {
        CopyRows.copy(
                c,
                "item",
                List.of(
                        CopyRows.uuid("item_id"),
                        CopyRows.uuid("run_id"),
                        CopyRows.integer("position"),
                        CopyRows.text("external_id"),
                        CopyRows.jsonb("custom_metadata"),
                        CopyRows.text("custom_metadata_text"),
                        CopyRows.text("custom_metadata_checksum"),
                        CopyRows.json("input_artifacts"),
                        CopyRows.text("state"),
                        CopyRows.integer("attempt"),
                        CopyRows.timestamptz("updated_at")),
                items,
                item -> new Object[] {
                    item.itemId,
                    item.runId,
                    item.position,
                    item.externalId,
                    item.customMetadataText,
                    item.customMetadataText,
                    item.customMetadataChecksum,
                    item.inputArtifactsJson,
                    item.state,
                    item.attempt,
                    item.updatedAt
                });
    }

    /** Locks items; callers lock the items' runs first. */
    public Map<UUID, ItemRow> lockAll(Connection c, Collection<UUID> itemIds) throws SQLException {
        return ITEM.lockInIdOrder(c, "item_id", itemIds, item -> item.itemId);
    }

    public List<ItemRow> ofRun(Connection c, UUID runId) throws SQLException {
        return ITEM.select(c, "run_id = ? ORDER BY position", runId);
    }

    public Optional<ItemRow> find(Connection c, UUID runId, String externalId) throws SQLException {
        return ITEM.first(c, "run_id = ? AND external_id = ?", runId, externalId);
    }

    /** The item of the run with this id. */
    public Optional<ItemRow> findById(Connection c, UUID runId, UUID itemId) throws SQLException {
        return ITEM.first(c, "run_id = ? AND item_id = ?", runId, itemId);
    }

    /** Reads and locks one item; callers lock its run first. */
    public Optional<ItemRow> lock(Connection c, UUID runId, String externalId) throws SQLException {
        return ITEM.first(c, "run_id = ? AND external_id = ? FOR UPDATE", runId, externalId);
    }

    /** Replaces the item's custom metadata: the text as the client sent it, the same as jsonb, and its checksum. */
    public void updateCustomMetadata(Connection c, UUID itemId, String text, String checksum, Instant at)
            throws SQLException {
        Jdbc.update(
                c,
                "UPDATE item SET custom_metadata = CAST(? AS jsonb), custom_metadata_text = ?,"
                        + " custom_metadata_checksum = ?, updated_at = ? WHERE item_id = ?",
                text,
                text,
                checksum,
                at,
                itemId);
    }

    public List<ItemRow> list(Connection c, ItemQuery query) throws SQLException {
        List<String> states = query.states() == null
                ? null
                : query.states().stream().map(Enum::name).toList();
        return ITEM.listing("run_id = ?", query.runId())
                .whereIn("state", "text", states)
                .whereIn("external_id", "text", query.externalIds())
                .whereIn("item_id", "uuid", query.itemIds())
                .whereJsonPathMatches("custom_metadata", query.customMetadataPath())
                .orderBy(query.sort(), SORT_FIELDS)
                .page(query.page())
                .list(c);
    }

    /** Writes items back in one statement (a batch of events touches up to a few hundred). */
    public void update(Connection c, Collection<ItemRow> items) throws SQLException {
        if (items.isEmpty()) {
            return;
        }
        // Timestamps travel as ISO-8601 text, which PostgreSQL casts to timestamptz.
        Object[] columns = WRITTEN.stream()
                .map(w -> new Jdbc.SqlArray(
                        w.type().equals("timestamptz") ? "text" : w.type(),
                        items.stream().map(w.value()).toArray()))
                .toArray();
        Jdbc.update(c, UPDATE, columns);
    }

    /**
     * Moves every open item of a run to SKIPPED (the item lifecycle's SKIP rule, applied in bulk) and returns how
     * many were skipped.
     */
    public int skipOpen(Connection c, UUID runId, String message, Instant now) throws SQLException {
        return Jdbc.update(
                c,
                "UPDATE item SET state = 'SKIPPED', error_message = ?, terminated_at = ?, updated_at = ?"
                        + " WHERE run_id = ? AND state IN ('PENDING', 'PROCESSING')",
                message,
                now,
                now,
                runId);
    }

    /**
     * Marks items as dispatched for their current attempt, unless they have meanwhile left PENDING or were already
     * dispatched for it; returns the items it marked (their slide job must be written in the same transaction).
     */
    public Set<UUID> markDispatched(Connection c, Collection<UUID> itemIds) throws SQLException {
        if (itemIds.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(Jdbc.list(
                c,
                "UPDATE item SET dispatched_attempt = attempt WHERE item_id = ANY(?) AND state = 'PENDING'"
                        + " AND dispatched_attempt IS DISTINCT FROM attempt RETURNING item_id",
                rs -> rs.getObject(1, UUID.class),
                Jdbc.array("uuid", itemIds)));
    }

    /** Items that have been PROCESSING without word from their worker since {@code silentSince}. */
    public List<ItemRow> silent(Connection c, Instant silentSince, int limit) throws SQLException {
        return ITEM.select(
                c, "state = 'PROCESSING' AND last_event_at < ? ORDER BY last_event_at LIMIT ?", silentSince, limit);
    }

    /** Items that have been PROCESSING while their worker's counters stood still since {@code stuckSince}. */
    public List<ItemRow> stalled(Connection c, Instant stuckSince, int limit) throws SQLException {
        return ITEM.select(
                c, "state = 'PROCESSING' AND progressed_at < ? ORDER BY progressed_at LIMIT ?", stuckSince, limit);
    }

    private static ItemRow read(ResultSet rs) throws SQLException {
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
        item.tilesDone = nullableLong(rs, "tiles_done");
        item.tilesTotal = nullableLong(rs, "tiles_total");
        item.bytesDone = nullableLong(rs, "bytes_done");
        item.bytesTotal = nullableLong(rs, "bytes_total");
        item.progressedAt = instant(rs, "progressed_at");
        item.lastEventAt = instant(rs, "last_event_at");
        item.startedAt = instant(rs, "started_at");
        item.terminatedAt = instant(rs, "terminated_at");
        return item;
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
