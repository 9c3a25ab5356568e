package org.tessera.orchestrator.outbox;

import java.util.Objects;
import org.tessera.contracts.ContractsJson;
import org.tessera.contracts.Envelope;

/** A message waiting in the outbox: where it goes, its key, and its serialized envelope. */
public record OutboxMessage(String topic, String key, byte[] payload) {

    public OutboxMessage {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(payload, "payload");
    }

    public static OutboxMessage of(String topic, String key, Envelope<?> envelope) {
        return new OutboxMessage(topic, key, ContractsJson.toBytes(envelope));
    }
}
