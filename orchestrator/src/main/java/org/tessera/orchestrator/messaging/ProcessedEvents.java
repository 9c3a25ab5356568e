package org.tessera.orchestrator.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * The consumers' memory of which events they have applied. Marking happens in the same transaction as the change
 * the event causes, so an event is applied exactly once however often Kafka delivers it.
 */
@ApplicationScoped
public class ProcessedEvents {

    /** Records the event ids and returns those that had not been seen before. */
    public Set<UUID> markProcessed(Connection c, Collection<UUID> eventIds, Instant now) throws SQLException {
        Set<UUID> fresh = new HashSet<>();
        if (eventIds.isEmpty()) {
            return fresh;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO processed_event (event_id, processed_at)"
                + " SELECT DISTINCT unnest(?), CAST(? AS timestamptz) ON CONFLICT (event_id) DO NOTHING"
                + " RETURNING event_id")) {
            ps.setArray(1, c.createArrayOf("uuid", eventIds.toArray()));
            ps.setObject(2, now.atOffset(ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    fresh.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return fresh;
    }

    /** Forgets events older than the cut-off; redelivery after that long is not expected. */
    public int forgetBefore(Connection c, Instant cutoff) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM processed_event WHERE processed_at < ?")) {
            ps.setObject(1, cutoff.atOffset(ZoneOffset.UTC));
            return ps.executeUpdate();
        }
    }
}
