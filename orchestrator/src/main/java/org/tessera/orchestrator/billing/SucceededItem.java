package org.tessera.orchestrator.billing;

import java.util.Objects;
import java.util.UUID;

/** An item that was just processed to the end and delivered its results: what the ledger charges. */
public record SucceededItem(
        UUID runId,
        UUID itemId,
        String organizationId,
        String userId,
        String applicationId,
        String applicationVersion) {

    public SucceededItem {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(itemId, "itemId");
    }
}
