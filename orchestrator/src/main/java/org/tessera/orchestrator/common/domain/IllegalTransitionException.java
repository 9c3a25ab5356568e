package org.tessera.orchestrator.common.domain;

/** An event that the lifecycle's transition table does not allow in the current state. */
public class IllegalTransitionException extends RuntimeException {

    private final String state;
    private final String event;

    public IllegalTransitionException(Object state, Object event) {
        super("event " + event + " is not allowed in state " + state);
        this.state = String.valueOf(state);
        this.event = String.valueOf(event);
    }

    public String state() {
        return state;
    }

    public String event() {
        return event;
    }
}
