package org.tessera.orchestrator.item.domain;

import java.util.Objects;

/**
 * Where an item stands: its state and the attempt the orchestrator currently expects results from.
 *
 * @param attempt 1 for the first slide job; raised when a job is re-published or a worker reports a newer attempt
 */
public record ItemStatus(ItemState state, int attempt) {

    public ItemStatus {
        Objects.requireNonNull(state, "state");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be >= 1, was " + attempt);
        }
    }

    public static ItemStatus initial() {
        return new ItemStatus(ItemState.PENDING, 1);
    }
}
