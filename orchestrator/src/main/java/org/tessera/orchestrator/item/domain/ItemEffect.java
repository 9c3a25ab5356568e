package org.tessera.orchestrator.item.domain;

/** What the caller must do, in the same transaction, after the item lifecycle decided. */
public sealed interface ItemEffect {

    /** The item left PENDING: tell the run (it may start running). */
    record Started() implements ItemEffect {}

    /** The item reached a terminal state: tell the run (it may be complete). */
    record Terminated(ItemState outcome, String errorCode, String errorMessage) implements ItemEffect {}

    /** The item's worker went silent: the item waits for dispatch again, under the new attempt number. */
    record Requeued(int attempt) implements ItemEffect {}
}
