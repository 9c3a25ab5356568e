package org.tessera.orchestrator.artifact.persistence;

import static org.tessera.orchestrator.common.persistence.Jdbc.instant;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.tessera.orchestrator.common.persistence.Jdbc;
import org.tessera.orchestrator.common.persistence.Table;

/** SQL for the {@code output_artifact} table. Every method works in the caller's connection (transaction). */
@ApplicationScoped
public class OutputArtifactRepository {

    private static final String COLUMNS = "output_artifact_id, run_id, item_id, position, name, object_key,"
            + " media_type, size_bytes, checksum_base64_crc32c, output, created_at, extra_metadata";

    private static final Table<OutputArtifactRow> OUTPUT =
            new Table<>("output_artifact", COLUMNS, OutputArtifactRepository::read);

    /** Stores outputs; a repeated report for the same item and name replaces the earlier one. */
    public void upsert(Connection c, Collection<OutputArtifactRow> outputs) throws SQLException {
        Jdbc.batch(
                c,
                "INSERT INTO output_artifact (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::json)"
                        + " ON CONFLICT (item_id, name) DO UPDATE SET object_key = EXCLUDED.object_key,"
                        + " media_type = EXCLUDED.media_type, size_bytes = EXCLUDED.size_bytes,"
                        + " checksum_base64_crc32c = EXCLUDED.checksum_base64_crc32c, output = EXCLUDED.output,"
                        + " extra_metadata = EXCLUDED.extra_metadata",
                outputs,
                o -> new Object[] {
                    o.outputArtifactId(),
                    o.runId(),
                    o.itemId(),
                    o.position(),
                    o.name(),
                    o.objectKey(),
                    o.mediaType(),
                    o.sizeBytes(),
                    o.checksumBase64Crc32c(),
                    o.output(),
                    o.createdAt(),
                    o.extraMetadataJson()
                });
    }

    /** The outputs of the given items, each item's in the order the worker reported them. */
    public Map<UUID, List<OutputArtifactRow>> ofItems(Connection c, Collection<UUID> itemIds) throws SQLException {
        Map<UUID, List<OutputArtifactRow>> outputs = new LinkedHashMap<>();
        if (itemIds.isEmpty()) {
            return outputs;
        }
        for (OutputArtifactRow row :
                OUTPUT.select(c, "item_id = ANY(?) ORDER BY item_id, position", Jdbc.array("uuid", itemIds))) {
            outputs.computeIfAbsent(row.itemId(), k -> new ArrayList<>()).add(row);
        }
        return outputs;
    }

    public Optional<OutputArtifactRow> find(Connection c, UUID runId, UUID outputArtifactId) throws SQLException {
        return OUTPUT.first(c, "run_id = ? AND output_artifact_id = ?", runId, outputArtifactId);
    }

    public List<OutputArtifactRow> ofRun(Connection c, UUID runId) throws SQLException {
        return OUTPUT.select(c, "run_id = ? ORDER BY item_id, position", runId);
    }

    /** Marks a run's available outputs as deleted, with the given {@code output} value; returns how many. */
    public int markDeleted(Connection c, UUID runId, String output) throws SQLException {
        return Jdbc.update(
                c, "UPDATE output_artifact SET output = ? WHERE run_id = ? AND output = 'AVAILABLE'", output, runId);
    }

    private static OutputArtifactRow read(ResultSet rs) throws SQLException {
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
}
