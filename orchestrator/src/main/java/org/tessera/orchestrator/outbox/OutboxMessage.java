package org.tessera.orchestrator.outbox;

import java.util.Objects;
import org.tessera.contracts.ContractsJson;
import org.tessera.contracts.Envelope;
import org.tessera.orchestrator.common.tracing.TraceContext;

/**
 * A message waiting in the outbox: where it goes, its key, its serialized envelope, and the trace it continues
 * ({@link TraceContext#NONE}: the span current when it is appended, if any).
 */
public record OutboxMessage(String topic, String key, byte[] payload, TraceContext trace) {

    public OutboxMessage {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(payload, "payload");
        trace = trace == null ? TraceContext.NONE : trace;
    }

    public OutboxMessage(String topic, String key, byte[] payload) {
        this(topic, key, payload, TraceContext.NONE);
    }

    public static OutboxMessage of(String topic, String key, Envelope<?> envelope) {
        return new OutboxMessage(topic, key, ContractsJson.toBytes(envelope));
    }

    /** The same message, continuing {@code newTrace} instead of whatever is current when it is appended. */
    public OutboxMessage withTrace(TraceContext newTrace) {
        return new OutboxMessage(topic, key, payload, newTrace);
    }
}
