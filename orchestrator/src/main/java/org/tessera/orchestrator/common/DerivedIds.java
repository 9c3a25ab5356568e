package org.tessera.orchestrator.common;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Ids that must come out the same however often a step is repeated (a redelivered request, a retried transaction):
 * name-based UUIDs over the ids they derive from, so the consumers' de-duplication recognises a repeat.
 */
public final class DerivedIds {

    private DerivedIds() {}

    public static UUID of(String kind, Object... parts) {
        StringBuilder name = new StringBuilder("tessera/").append(kind);
        for (Object part : parts) {
            name.append('/').append(part);
        }
        return UUID.nameUUIDFromBytes(name.toString().getBytes(StandardCharsets.UTF_8));
    }

    public static UUID runRequested(UUID runId) {
        return of("run-requested", runId);
    }

    /** A run enters each lifecycle state at most once, so the state names the event. */
    public static UUID runStateChanged(UUID runId, Object state) {
        return of("run-state-changed", runId, state);
    }

    public static UUID slideJob(UUID runId, UUID itemId, int attempt) {
        return of("slide-job", runId, itemId, attempt);
    }

    public static UUID inputArtifact(UUID itemId, String name) {
        return of("input-artifact", itemId, name);
    }

    public static UUID outputArtifact(UUID itemId, String name) {
        return of("output-artifact", itemId, name);
    }

    public static UUID deadLetter(String topic, int partition, long offset) {
        return of("dead-letter", topic, partition, offset);
    }
}
