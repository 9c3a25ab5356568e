package org.tessera.orchestrator.run.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.tessera.orchestrator.common.persistence.Jdbc;

/**
 * SQL for {@code waiting_run}, the organizations' admission lines: runs the REST API stored, until the line's next
 * round admits them, and runs held back for a parallel-run limit ({@code held_at} set). Every method works in the
 * caller's connection (transaction).
 */
@ApplicationScoped
public class WaitingRunRepository {

    /** A run in the line. */
    public record WaitingRun(UUID runId, String organizationId, String submittedBy) {}

    /**
     * Puts the run in its organization's line (in submission order), held back for a parallel-run limit; nothing when
     * it is there already.
     */
    public void add(Connection c, RunRow run, Instant at) throws SQLException {
        insert(c, run, at, at);
    }

    /** Puts a run the API is storing in its organization's line, for the line's next round to decide. */
    public void queue(Connection c, RunRow run, Instant at) throws SQLException {
        insert(c, run, at, null);
    }

    private static void insert(Connection c, RunRow run, Instant at, Instant heldAt) throws SQLException {
        Jdbc.update(
                c,
                "INSERT INTO waiting_run (run_id, organization_id, submitted_by, submitted_at, queued_at, held_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                run.runId,
                run.organizationId,
                run.submittedBy,
                run.submittedAt,
                at,
                heldAt);
    }

    /** The line considered these runs and could not admit them: they are held back from now on. */
    public void hold(Connection c, Collection<UUID> runIds, Instant at) throws SQLException {
        if (!runIds.isEmpty()) {
            Jdbc.update(
                    c,
                    "UPDATE waiting_run SET held_at = ? WHERE run_id = ANY(?) AND held_at IS NULL",
                    at,
                    Jdbc.array("uuid", runIds));
        }
    }

    public boolean contains(Connection c, UUID runId) throws SQLException {
        return Jdbc.first(c, "SELECT 1 FROM waiting_run WHERE run_id = ?", rs -> true, runId)
                .isPresent();
    }

    /** The organization's line, first in turn first. */
    public List<WaitingRun> lineOf(Connection c, String organizationId) throws SQLException {
        return Jdbc.list(
                c,
                "SELECT run_id, organization_id, submitted_by FROM waiting_run WHERE organization_id = ?"
                        + " ORDER BY submitted_at, run_id",
                rs -> new WaitingRun(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3)),
                organizationId);
    }

    /** How many runs are held back, per user of the organization. */
    public Map<String, Integer> countByUser(Connection c, String organizationId) throws SQLException {
        Map<String, Integer> byUser = new HashMap<>();
        for (Map.Entry<String, Integer> row : Jdbc.list(
                c,
                "SELECT submitted_by, count(*) FROM waiting_run WHERE organization_id = ? AND held_at IS NOT NULL"
                        + " GROUP BY submitted_by",
                rs -> Map.entry(rs.getString(1), rs.getInt(2)),
                organizationId)) {
            byUser.put(row.getKey(), row.getValue());
        }
        return byUser;
    }

    /** The organizations that have a line. */
    public List<String> organizations(Connection c) throws SQLException {
        return Jdbc.list(
                c, "SELECT DISTINCT organization_id FROM waiting_run ORDER BY organization_id", rs -> rs.getString(1));
    }

    public void remove(Connection c, Collection<UUID> runIds) throws SQLException {
        if (!runIds.isEmpty()) {
            Jdbc.update(c, "DELETE FROM waiting_run WHERE run_id = ANY(?)", Jdbc.array("uuid", runIds));
        }
    }
}
