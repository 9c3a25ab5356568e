package org.tessera.orchestrator.item.persistence;

import static org.tessera.orchestrator.common.persistence.Jdbc.instant;
import static org.tessera.orchestrator.common.persistence.Jdbc.nullableLong;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.tessera.orchestrator.common.persistence.Jdbc;
import org.tessera.orchestrator.common.persistence.Listing;
import org.tessera.orchestrator.common.persistence.SortFields;
import org.tessera.orchestrator.item.domain.ItemState;

/** SQL for the {@code item} table. Every method works in the caller's connection (transaction). */
@ApplicationScoped
public class ItemRepository {

    private static final String COLUMNS = "item_id, run_id, position, external_id, custom_metadata_text,"
            + " custom_metadata_checksum, input_artifacts, state, attempt, error_code, error_message, worker_id,"
            + " progress_stage, tiles_done, tiles_total, last_event_at, started_at, terminated_at, updated_at";

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

    /** Inserts items; their custom metadata text is stored as it is and, for filtering, as jsonb. */
    public void insert(Connection c, Collection<ItemRow> items) throws SQLException {
        Jdbc.batch(
                c,
                "INSERT INTO item (item_id, run_id, position, external_id, custom_metadata, custom_metadata_text,"
                        + " custom_metadata_checksum, input_artifacts, state, attempt, updated_at)"
                        + " VALUES (?, ?, ?, ?, CAST(? AS jsonb), ?, ?, CAST(? AS json), ?, ?, ?)",
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
        return Jdbc.lockInIdOrder(c, "item", "item_id", COLUMNS, itemIds, ItemRepository::read, item -> item.itemId);
    }

    public List<ItemRow> ofRun(Connection c, UUID runId) throws SQLException {
        return Jdbc.list(
                c, "SELECT " + COLUMNS + " FROM item WHERE run_id = ? ORDER BY position", ItemRepository::read, runId);
    }

    public Optional<ItemRow> find(Connection c, UUID runId, String externalId) throws SQLException {
        return Jdbc.first(
                c,
                "SELECT " + COLUMNS + " FROM item WHERE run_id = ? AND external_id = ?",
                ItemRepository::read,
                runId,
                externalId);
    }

    public List<ItemRow> list(Connection c, ItemQuery query) throws SQLException {
        return Listing.from("item", COLUMNS, "run_id = ?", query.runId())
                .whereIn(
                        "state",
                        "text",
                        query.states() == null
                                ? null
                                : query.states().stream().map(Enum::name).toList())
                .whereIn("external_id", "text", query.externalIds())
                .whereIn("item_id", "uuid", query.itemIds())
                .whereJsonPathMatches("custom_metadata", query.customMetadataPath())
                .orderBy(query.sort(), SORT_FIELDS)
                .page(query.page())
                .list(c, ItemRepository::read);
    }

    /** Writes items back in one statement (a batch of events touches up to a few hundred). */
    public void update(Connection c, Collection<ItemRow> items) throws SQLException {
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
        Jdbc.update(
                c,
                "UPDATE item AS i SET state = u.state, attempt = u.attempt, error_code = u.error_code,"
                        + " error_message = u.error_message, worker_id = u.worker_id,"
                        + " progress_stage = u.progress_stage, tiles_done = u.tiles_done, tiles_total = u.tiles_total,"
                        + " last_event_at = u.last_event_at, started_at = u.started_at,"
                        + " terminated_at = u.terminated_at, updated_at = u.updated_at"
                        + " FROM unnest(CAST(? AS uuid[]), CAST(? AS text[]), CAST(? AS integer[]), CAST(? AS text[]),"
                        + " CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS bigint[]),"
                        + " CAST(? AS bigint[]), CAST(? AS timestamptz[]), CAST(? AS timestamptz[]),"
                        + " CAST(? AS timestamptz[]), CAST(? AS timestamptz[]))"
                        + " AS u(item_id, state, attempt, error_code, error_message, worker_id, progress_stage,"
                        + " tiles_done, tiles_total, last_event_at, started_at, terminated_at, updated_at)"
                        + " WHERE i.item_id = u.item_id",
                ids,
                states,
                attempts,
                errorCodes,
                errorMessages,
                workers,
                stages,
                tilesDone,
                tilesTotal,
                lastEvents,
                starts,
                ends,
                updates);
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

    /** Items that have been PROCESSING without word from their worker since {@code silentSince}. */
    public List<ItemRow> silent(Connection c, Instant silentSince, int limit) throws SQLException {
        return Jdbc.list(
                c,
                "SELECT " + COLUMNS + " FROM item WHERE state = 'PROCESSING' AND last_event_at < ?"
                        + " ORDER BY last_event_at LIMIT ?",
                ItemRepository::read,
                silentSince,
                limit);
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
        item.lastEventAt = instant(rs, "last_event_at");
        item.startedAt = instant(rs, "started_at");
        item.terminatedAt = instant(rs, "terminated_at");
        return item;
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
