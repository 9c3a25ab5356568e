package org.tessera.contracts;

/** The run lifecycle as published on {@link Topics#RUN_EVENTS}. */
public enum RunState {
    RECEIVED,
    SCHEDULED,
    RUNNING,
    COMPLETED,
    COMPLETED_WITH_ERROR,
    REJECTED,
    CANCELLED_BY_SYSTEM,
    CANCELLED_BY_USER;

    public boolean isTerminal() {
        return switch (this) {
            case RECEIVED, SCHEDULED, RUNNING -> false;
            case COMPLETED, COMPLETED_WITH_ERROR, REJECTED, CANCELLED_BY_SYSTEM, CANCELLED_BY_USER -> true;
        };
    }
}
