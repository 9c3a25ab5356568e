package org.tessera.contracts;

/**
 * A run moved to a new lifecycle state.
 *
 * @param previousState null when the run was just created
 * @param errorCode stable code when the run was rejected or cancelled by the system, else null
 * @param errorMessage human-readable reason matching {@code errorCode}, else null
 * @param statistics item counts at the moment of the change
 */
public record RunStateChanged(
        RunState state,
        RunState previousState,
        String applicationId,
        String applicationVersion,
        String organizationId,
        String submittedBy,
        String errorCode,
        String errorMessage,
        ItemStatistics statistics)
        implements Payload {

    public static final String TYPE = "run.state-changed";

    @Override
    public String type() {
        return TYPE;
    }
}
