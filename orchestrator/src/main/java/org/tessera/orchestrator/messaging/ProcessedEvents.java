package org.tessera.orchestrator.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.tessera.orchestrator.common.persistence.Jdbc;

/**
 * The consumers' memory of which events they have applied. Marking happens in the same transaction as the change
 * the event causes, so an event is applied exactly once however often Kafka delivers it.
 */
@ApplicationScoped
public class ProcessedEvents {

    /** Records the event ids and returns those that had not been seen before. */
    public Set<UUID> markProcessed(Connection c, Collection<UUID> eventIds, Instant now) throws SQLException {
        if (eventIds.isEmpty()) {
            return new HashSet<>();
        }
        return new HashSet<>(Jdbc.list(
                c,
                "INSERT INTO processed_event (event_id, processed_at) SELECT DISTINCT unnest(?), CAST(? AS timestamptz)"
                        + " ON CONFLICT (event_id) DO NOTHING RETURNING event_id",
                rs -> rs.getObject(1, UUID.class),
                Jdbc.array("uuid", eventIds),
                now));
    }

    /** Forgets events older than the cut-off; redelivery after that long is not expected. */
    public int forgetBefore(Connection c, Instant cutoff) throws SQLException {
        return Jdbc.update(c, "DELETE FROM processed_event WHERE processed_at < ?", cutoff);
    }
}
