package org.tessera.orchestrator.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.tessera.orchestrator.common.AfterCommit;
import org.tessera.orchestrator.common.persistence.Jdbc;
import org.tessera.orchestrator.common.tracing.TraceContext;

/**
 * Writes messages into the outbox table in the caller's transaction. Nothing reaches Kafka unless the state change
 * that caused it commits; once it does, the relay is woken at once instead of waiting for its next poll. Each row keeps
 * the trace context of its cause (the message's own, else the span current here), which the relay sends on as the
 * record's W3C trace headers. Large payloads are stored compressed ({@link StoredPayload}).
 */
@ApplicationScoped
public class Outbox {

    private static final Object WAKE_RELAY = new Object();

    @Inject
    AfterCommit afterCommit;

    @Inject
    OutboxRelay relay;

    @Inject
    Clock clock;

    @Inject
    OutboxSettings settings;

    public void append(Connection c, OutboxMessage message) throws SQLException {
        appendAll(c, List.of(message));
    }

    public void appendAll(Connection c, Collection<OutboxMessage> messages) throws SQLException {
        if (messages.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        TraceContext current = TraceContext.current();
        Jdbc.batch(
                c,
                "INSERT INTO outbox (topic, message_key, payload, payload_lz4_size, created_at, traceparent,"
                        + " tracestate) VALUES (?, ?, ?, ?, ?, ?, ?)",
                messages,
                message -> {
                    TraceContext trace = message.trace().present() ? message.trace() : current;
                    StoredPayload payload = StoredPayload.of(message.payload(), settings.compressFromBytes());
                    return new Object[] {
                        message.topic(),
                        message.key(),
                        payload.bytes(),
                        payload.lz4Size(),
                        now,
                        trace.traceparent(),
                        trace.tracestate()
                    };
                });
        afterCommit.runOnce(WAKE_RELAY, relay::wake);
    }
}
