package org.tessera.orchestrator.run.domain;

import java.util.Objects;
import org.tessera.contracts.RunState;

/**
 * How the eight lifecycle states look through the public API, whose enums are coarser: {@code state},
 * {@code termination_reason} and {@code output} of a run.
 */
public record RunProjection(ApiState state, ApiTerminationReason terminationReason, ApiOutput output) {

    /** The API's {@code RunState}. */
    public enum ApiState {
        PENDING,
        PROCESSING,
        TERMINATED
    }

    /** The API's {@code RunTerminationReason}. */
    public enum ApiTerminationReason {
        ALL_ITEMS_PROCESSED,
        CANCELED_BY_SYSTEM,
        CANCELED_BY_USER
    }

    /** The API's {@code RunOutput}. */
    public enum ApiOutput {
        NONE,
        PARTIAL,
        FULL
    }

    public RunProjection {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(output, "output");
    }

    public static RunProjection of(RunState state, ItemCounts counts) {
        ApiOutput someOrNone = counts.succeeded() > 0 ? ApiOutput.PARTIAL : ApiOutput.NONE;
        return switch (state) {
            case RECEIVED, SCHEDULED -> new RunProjection(ApiState.PENDING, null, ApiOutput.NONE);
            case RUNNING -> new RunProjection(ApiState.PROCESSING, null, someOrNone);
            case COMPLETED ->
                new RunProjection(ApiState.TERMINATED, ApiTerminationReason.ALL_ITEMS_PROCESSED, ApiOutput.FULL);
            case COMPLETED_WITH_ERROR ->
                new RunProjection(ApiState.TERMINATED, ApiTerminationReason.ALL_ITEMS_PROCESSED, someOrNone);
            case REJECTED ->
                new RunProjection(ApiState.TERMINATED, ApiTerminationReason.CANCELED_BY_SYSTEM, ApiOutput.NONE);
            case CANCELLED_BY_SYSTEM ->
                new RunProjection(ApiState.TERMINATED, ApiTerminationReason.CANCELED_BY_SYSTEM, someOrNone);
            case CANCELLED_BY_USER ->
                new RunProjection(ApiState.TERMINATED, ApiTerminationReason.CANCELED_BY_USER, someOrNone);
        };
    }
}
