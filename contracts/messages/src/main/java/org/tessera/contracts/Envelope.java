package org.tessera.contracts;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The one envelope every Kafka message travels in.
 *
 * @param eventId unique per event; consumers de-duplicate on it
 * @param type the payload type, e.g. {@code item.succeeded}; decides how {@code payload} is read
 * @param schemaVersion version of the payload's schema; readers accept every version up to their own
 * @param occurredAt when the producer observed the fact
 * @param runId the run this event belongs to (always present)
 * @param itemId the item this event belongs to, or null for run-level events
 * @param payload the type-specific body
 */
public record Envelope<P extends Payload>(
        UUID eventId, String type, int schemaVersion, Instant occurredAt, UUID runId, UUID itemId, P payload) {

    /** Current schema version written by this code for every payload type. */
    public static final int CURRENT_SCHEMA_VERSION = 1;

    public Envelope {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(payload, "payload");
        if (!type.equals(payload.type())) {
            throw new IllegalArgumentException("envelope type " + type + " does not match payload " + payload.type());
        }
    }

    public static <P extends Payload> Envelope<P> of(
            UUID eventId, Instant occurredAt, UUID runId, UUID itemId, P payload) {
        return new Envelope<>(eventId, payload.type(), CURRENT_SCHEMA_VERSION, occurredAt, runId, itemId, payload);
    }
}
