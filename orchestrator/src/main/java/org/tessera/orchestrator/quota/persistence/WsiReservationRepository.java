package org.tessera.orchestrator.quota.persistence;

import static org.tessera.orchestrator.common.persistence.Jdbc.instant;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Optional;
import java.util.UUID;
import org.tessera.orchestrator.common.persistence.Jdbc;
import org.tessera.orchestrator.common.persistence.Table;

/** SQL for {@code wsi_reservation}. Every method works in the caller's connection (transaction). */
@ApplicationScoped
public class WsiReservationRepository {

    private static final String COLUMNS =
            "run_id, organization_id, user_id, month, reserved_wsis, returned_wsis," + " reserved_at, returned_at";

    private static final Table<WsiReservation> RESERVATION =
            new Table<>("wsi_reservation", COLUMNS, WsiReservationRepository::read);

    public void insert(Connection c, WsiReservation r) throws SQLException {
        Jdbc.update(
                c,
                "INSERT INTO wsi_reservation (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                r.runId(),
                r.organizationId(),
                r.userId(),
                r.month().toString(),
                r.reservedWsis(),
                r.returnedWsis(),
                r.reservedAt(),
                r.returnedAt());
    }

    public Optional<WsiReservation> find(Connection c, UUID runId) throws SQLException {
        return RESERVATION.first(c, "run_id = ?", runId);
    }

    /**
     * Gives back up to {@code wsis} of a run's reservation, once: a reservation that was already given back, or a run
     * without one, yields empty.
     *
     * @return the reservation as it is now
     */
    public Optional<WsiReservation> giveBack(Connection c, UUID runId, int wsis, Instant at) throws SQLException {
        return Jdbc.first(
                c,
                "UPDATE wsi_reservation SET returned_wsis = LEAST(reserved_wsis, ?), returned_at = ?"
                        + " WHERE run_id = ? AND returned_at IS NULL RETURNING " + COLUMNS,
                WsiReservationRepository::read,
                wsis,
                at,
                runId);
    }

    private static WsiReservation read(ResultSet rs) throws SQLException {
        return new WsiReservation(
                rs.getObject("run_id", UUID.class),
                rs.getString("organization_id"),
                rs.getString("user_id"),
                YearMonth.parse(rs.getString("month")),
                rs.getInt("reserved_wsis"),
                rs.getInt("returned_wsis"),
                instant(rs, "reserved_at"),
                instant(rs, "returned_at"));
    }
}
