package org.tessera.orchestrator.item.domain;

import java.util.Objects;

/** How an item's lifecycle state looks through the public API: {@code state}, {@code termination_reason}, {@code output}. */
public record ItemProjection(ApiState state, ApiTerminationReason terminationReason, ApiOutput output) {

    /** The API's {@code ItemState}. */
    public enum ApiState {
        PENDING,
        PROCESSING,
        TERMINATED
    }

    /** The API's {@code ItemTerminationReason}. */
    public enum ApiTerminationReason {
        SUCCEEDED,
        USER_ERROR,
        SYSTEM_ERROR,
        SKIPPED
    }

    /** The API's {@code ItemOutput}. */
    public enum ApiOutput {
        NONE,
        FULL
    }

    public ItemProjection {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(output, "output");
    }

    public static ItemProjection of(ItemState state) {
        return switch (state) {
            case PENDING -> new ItemProjection(ApiState.PENDING, null, ApiOutput.NONE);
            case PROCESSING -> new ItemProjection(ApiState.PROCESSING, null, ApiOutput.NONE);
            case SUCCEEDED -> new ItemProjection(ApiState.TERMINATED, ApiTerminationReason.SUCCEEDED, ApiOutput.FULL);
            case USER_ERROR -> new ItemProjection(ApiState.TERMINATED, ApiTerminationReason.USER_ERROR, ApiOutput.NONE);
            case SYSTEM_ERROR ->
                new ItemProjection(ApiState.TERMINATED, ApiTerminationReason.SYSTEM_ERROR, ApiOutput.NONE);
            case SKIPPED -> new ItemProjection(ApiState.TERMINATED, ApiTerminationReason.SKIPPED, ApiOutput.NONE);
        };
    }

    /** The lifecycle state an API termination reason stands for (used by list filters). */
    public static ItemState stateOf(ApiTerminationReason reason) {
        return switch (reason) {
            case SUCCEEDED -> ItemState.SUCCEEDED;
            case USER_ERROR -> ItemState.USER_ERROR;
            case SYSTEM_ERROR -> ItemState.SYSTEM_ERROR;
            case SKIPPED -> ItemState.SKIPPED;
        };
    }
}
