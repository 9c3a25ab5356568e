package org.tessera.orchestrator.run.dispatch;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.tessera.orchestrator.common.persistence.Jdbc;
import org.tessera.orchestrator.run.domain.WaitingLine;

/**
 * Reads the dispatch queue from {@code run} and {@code item} as a {@link WaitingLine}. An item waits while it is
 * PENDING and its current attempt has not been dispatched, its run is admitted and open, and the run's deadline (if
 * any) has not passed. An item is in flight from the dispatch of its current attempt until it is terminal: PENDING with
 * its attempt dispatched, or PROCESSING.
 *
 * <p>Neither question scans the waiting items: a run's waiting count is its PENDING count (kept on the run) less its
 * dispatched PENDING items, which are in flight and so at most about {@code max-in-flight} across the platform.
 */
@ApplicationScoped
public class DispatchQueue {

    /** The in-flight condition on {@code item i}; the partial index {@code item_in_flight} has the same predicate. */
    private static final String IN_FLIGHT =
            "(i.state = 'PROCESSING' OR (i.state = 'PENDING' AND i.dispatched_attempt = i.attempt))";

    /** The waiting condition on {@code item}; the partial index {@code item_waiting} has the same predicate. */
    private static final String WAITING = "state = 'PENDING' AND dispatched_attempt IS DISTINCT FROM attempt";

    private record InFlight(UUID runId, String organizationId, boolean pending, int count) {}

    private record OpenRun(UUID runId, String organizationId, Instant dueDate, Instant submittedAt, int pending) {}

    /** The line as it stands now. */
    public WaitingLine line(Connection c, Instant now) throws SQLException {
        List<InFlight> inFlight = Jdbc.list(
                c,
                "SELECT i.run_id, r.organization_id, i.state = 'PENDING' AS pending, count(*) AS n"
                        + " FROM item i JOIN run r ON r.run_id = i.run_id WHERE " + IN_FLIGHT
                        + " GROUP BY i.run_id, r.organization_id, i.state = 'PENDING'",
                rs -> new InFlight(
                        rs.getObject("run_id", UUID.class),
                        rs.getString("organization_id"),
                        rs.getBoolean("pending"),
                        rs.getInt("n")));
        Map<String, Integer> inFlightByOrganization = new HashMap<>();
        Map<UUID, Integer> dispatchedPending = new HashMap<>();
        for (InFlight row : inFlight) {
            inFlightByOrganization.merge(row.organizationId(), row.count(), Integer::sum);
            if (row.pending()) {
                dispatchedPending.merge(row.runId(), row.count(), Integer::sum);
            }
        }
        List<OpenRun> open = Jdbc.list(
                c,
                "SELECT run_id, organization_id, due_date, submitted_at, pending_count FROM run"
                        + " WHERE state IN ('SCHEDULED', 'RUNNING') AND pending_count > 0"
                        + " AND (deadline IS NULL OR deadline > ?)",
                rs -> new OpenRun(
                        rs.getObject("run_id", UUID.class),
                        rs.getString("organization_id"),
                        Jdbc.instant(rs, "due_date"),
                        Jdbc.instant(rs, "submitted_at"),
                        rs.getInt("pending_count")),
                now);
        List<WaitingLine.WaitingRun> waiting = new ArrayList<>(open.size());
        for (OpenRun run : open) {
            int count = run.pending() - dispatchedPending.getOrDefault(run.runId(), 0);
            if (count > 0) {
                waiting.add(new WaitingLine.WaitingRun(
                        run.runId(), run.organizationId(), run.dueDate(), run.submittedAt(), count));
            }
        }
        return new WaitingLine(waiting, inFlightByOrganization);
    }

    /** Items dispatched and not finished, across the platform. */
    public int inFlight(Connection c) throws SQLException {
        return Jdbc.first(c, "SELECT count(*) FROM item i WHERE " + IN_FLIGHT, rs -> rs.getInt(1))
                .orElse(0);
    }

    /** The first {@code limit} waiting items of a run, in position order (the order the line serves them in). */
    public List<UUID> waitingItems(Connection c, UUID runId, int limit) throws SQLException {
        return Jdbc.list(
                c,
                "SELECT item_id FROM item WHERE run_id = ? AND " + WAITING + " ORDER BY position LIMIT ?",
                rs -> rs.getObject(1, UUID.class),
                runId,
                limit);
    }
}
