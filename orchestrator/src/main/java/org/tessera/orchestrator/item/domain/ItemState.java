package org.tessera.orchestrator.item.domain;

/** An item's lifecycle state: pending, processing, or one of the four terminal outcomes. */
public enum ItemState {
    PENDING,
    PROCESSING,
    SUCCEEDED,
    USER_ERROR,
    SYSTEM_ERROR,
    SKIPPED;

    public boolean isTerminal() {
        return switch (this) {
            case PENDING, PROCESSING -> false;
            case SUCCEEDED, USER_ERROR, SYSTEM_ERROR, SKIPPED -> true;
        };
    }
}
