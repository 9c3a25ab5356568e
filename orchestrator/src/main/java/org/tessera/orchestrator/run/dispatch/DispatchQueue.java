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

    /**
     * Items dispatched and not finished.
     *
     * @param byOrganization per organization (absent: none)
     * @param pendingByRun the PENDING ones (dispatched, not yet started by a worker) per run
     */
    public record InFlightItems(Map<String, Integer> byOrganization, Map<UUID, Integer> pendingByRun) {

        /** Across the platform. */
        public int total() {
            int total = 0;
            for (int count : byOrganization.values()) {
                total += count;
            }
            return total;
        }
    }

    /** The items in flight now: at most about {@code max-in-flight} rows, whatever the backlog. */
    public InFlightItems inFlightItems(Connection c) throws SQLException {
        List<InFlight> inFlight = Jdbc.list(
                c,
                // The organization is looked up once per run in flight, so that no plan can read the platform's
                // other runs: the cost follows the items in flight, whatever the backlog.
                "SELECT run_id, (SELECT organization_id FROM run r WHERE r.run_id = f.run_id) AS organization_id,"
                        + " pending, n FROM (SELECT i.run_id, i.state = 'PENDING' AS pending, count(*) AS n FROM item i"
                        + " WHERE " + IN_FLIGHT + " GROUP BY i.run_id, i.state = 'PENDING') f",
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
        return new InFlightItems(inFlightByOrganization, dispatchedPending);
    }

    /** The line as it stands now. */
    public WaitingLine line(Connection c, Instant now) throws SQLException {
        return line(c, now, inFlightItems(c));
    }

    /**
     * The line as it stands now, given the items in flight read in the same transaction. It reads every open run
     * with items waiting, so its cost grows with the platform's backlog.
     */
    public WaitingLine line(Connection c, Instant now, InFlightItems inFlight) throws SQLException {
        Map<UUID, Integer> dispatchedPending = inFlight.pendingByRun();
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
        return new WaitingLine(waiting, inFlight.byOrganization());
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
