package org.tessera.orchestrator.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Collection;

/**
 * Writes messages into the outbox table in the caller's transaction. Nothing reaches Kafka unless the state change
 * that caused it commits; once it does, the relay is woken at once instead of waiting for its next poll.
 */
@ApplicationScoped
public class Outbox {

    private static final Object WAKE_REGISTERED = new Object();

    @Inject
    TransactionSynchronizationRegistry transactions;

    @Inject
    OutboxRelay relay;

    @Inject
    Clock clock;

    public void append(Connection c, OutboxMessage message) throws SQLException {
        appendAll(c, java.util.List.of(message));
    }

    public void appendAll(Connection c, Collection<OutboxMessage> messages) throws SQLException {
        if (messages.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO outbox (topic, message_key, payload, created_at) VALUES (?, ?, ?, ?)")) {
            var now = clock.instant().atOffset(ZoneOffset.UTC);
            for (OutboxMessage message : messages) {
                ps.setString(1, message.topic());
                ps.setString(2, message.key());
                ps.setBytes(3, message.payload());
                ps.setObject(4, now);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        wakeRelayAfterCommit();
    }

    private void wakeRelayAfterCommit() {
        if (transactions.getTransactionKey() == null) {
            relay.wake();
            return;
        }
        if (transactions.getResource(WAKE_REGISTERED) != null) {
            return;
        }
        transactions.putResource(WAKE_REGISTERED, Boolean.TRUE);
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {}

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    relay.wake();
                }
            }
        });
    }
}
