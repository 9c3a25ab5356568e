package org.tessera.worker.job;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Event ids derived from what the event is about, so that the same fact sent twice (a redelivered job re-running the
 * same attempt, a retried send) carries the same id and the orchestrator drops the copy.
 */
public final class EventIds {

    private EventIds() {}

    public static UUID of(UUID runId, UUID itemId, int attempt, String kind) {
        return UUID.nameUUIDFromBytes(
                (runId + "/" + itemId + "/" + attempt + "/" + kind).getBytes(StandardCharsets.UTF_8));
    }
}
