package org.tessera.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A run moved to a new lifecycle state.
 *
 * @param previousState null when the run was just created
 * @param errorCode stable code when the run was rejected or cancelled by the system, else null
 * @param errorMessage human-readable reason matching {@code errorCode}, else null
 * @param statistics item counts at the moment of the change
 * @param callbackContext the correlation data the run was submitted with, verbatim; null (and omitted from the JSON)
 *     when it had none, so events of older producers read and round-trip unchanged
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
        ItemStatistics statistics,
        @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode callbackContext)
        implements Payload {

    public static final String TYPE = "run.state-changed";

    public RunStateChanged {
        callbackContext = RunRequested.absentIfNull(callbackContext);
    }

    /** A state change of a run without callback context (the shape before it existed). */
    public RunStateChanged(
            RunState state,
            RunState previousState,
            String applicationId,
            String applicationVersion,
            String organizationId,
            String submittedBy,
            String errorCode,
            String errorMessage,
            ItemStatistics statistics) {
        this(
                state,
                previousState,
                applicationId,
                applicationVersion,
                organizationId,
                submittedBy,
                errorCode,
                errorMessage,
                statistics,
                null);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
