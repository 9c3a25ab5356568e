package org.tessera.orchestrator.run.dispatch;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.tessera.orchestrator.common.persistence.Jdbc;

/**
 * The line of items waiting for a worker, as SQL over {@code item} and {@code run}. The dispatcher takes items from
 * its head; the API reports positions in it. Both read the same order, so a reported position is a real prediction.
 *
 * <p>Waiting: the item is PENDING and its current attempt has not been dispatched, its run has been admitted and is
 * open, and the run's deadline (if any) has not passed. In flight: dispatched and not finished, i.e. PROCESSING, or
 * PENDING with its current attempt dispatched.
 *
 * <p>The order. Within an organization: earlier {@code scheduling.due_date} first (runs without one after those with
 * one), then submission order, then the item's position in its run; an item's rank there is its
 * {@code org_position} (1 = next). Across organizations the dispatcher gives each free place to the organization with
 * the fewest items in flight, which is round-robin once they are level: an item's level is its organization's items
 * in flight plus its rank, and the platform's line is ordered by level, then by the same keys as within an
 * organization ({@code platform_position}, 1 = next).
 */
@ApplicationScoped
public class DispatchQueue {

    /** An item in the line. Positions count from 1. */
    public record Place(UUID itemId, UUID runId, int orgPosition, int platformPosition) {}

    static final String IN_FLIGHT =
            "(i.state = 'PROCESSING' OR (i.state = 'PENDING' AND i.dispatched_attempt = i.attempt))";

    private static final String LINE = "WITH waiting AS ("
            + " SELECT i.item_id, i.run_id, i.position, r.organization_id, r.due_date, r.submitted_at"
            + " FROM item i JOIN run r ON r.run_id = i.run_id"
            + " WHERE i.state = 'PENDING' AND i.dispatched_attempt IS DISTINCT FROM i.attempt"
            + " AND r.state IN ('SCHEDULED', 'RUNNING') AND (r.deadline IS NULL OR r.deadline > ?)),"
            + " in_flight AS ("
            + " SELECT r.organization_id, count(*) AS n FROM item i JOIN run r ON r.run_id = i.run_id"
            + " WHERE " + IN_FLIGHT + " GROUP BY r.organization_id),"
            + " ranked AS ("
            + " SELECT w.*, row_number() OVER (PARTITION BY w.organization_id"
            + " ORDER BY w.due_date NULLS LAST, w.submitted_at, w.run_id, w.position) AS org_position"
            + " FROM waiting w)"
            + " SELECT q.item_id, q.run_id, q.org_position, row_number() OVER (ORDER BY coalesce(f.n, 0) + q.org_position,"
            + " q.due_date NULLS LAST, q.submitted_at, q.run_id, q.position) AS platform_position"
            + " FROM ranked q LEFT JOIN in_flight f ON f.organization_id IS NOT DISTINCT FROM q.organization_id";

    /** Items dispatched and not finished, across the platform. */
    public int inFlight(Connection c) throws SQLException {
        return Jdbc.first(c, "SELECT count(*) FROM item i WHERE " + IN_FLIGHT, rs -> rs.getInt(1))
                .orElse(0);
    }

    /** The first {@code limit} items of the platform's line, in order. */
    public List<Place> head(Connection c, Instant now, int limit) throws SQLException {
        return Jdbc.list(
                c,
                "SELECT * FROM (" + LINE + ") line ORDER BY platform_position LIMIT ?",
                DispatchQueue::place,
                now,
                limit);
    }

    /** The places of the waiting items of these runs. */
    public List<Place> placesOf(Connection c, Instant now, Collection<UUID> runIds) throws SQLException {
        return Jdbc.list(
                c,
                "SELECT * FROM (" + LINE + ") line WHERE run_id = ANY(?) ORDER BY platform_position",
                DispatchQueue::place,
                now,
                Jdbc.array("uuid", runIds));
    }

    private static Place place(java.sql.ResultSet rs) throws SQLException {
        return new Place(
                rs.getObject("item_id", UUID.class),
                rs.getObject("run_id", UUID.class),
                rs.getInt("org_position"),
                rs.getInt("platform_position"));
    }
}
