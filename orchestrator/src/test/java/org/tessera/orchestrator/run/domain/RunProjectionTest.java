package org.tessera.orchestrator.run.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.tessera.orchestrator.run.domain.RunProjection.ApiOutput.FULL;
import static org.tessera.orchestrator.run.domain.RunProjection.ApiOutput.NONE;
import static org.tessera.orchestrator.run.domain.RunProjection.ApiOutput.PARTIAL;
import static org.tessera.orchestrator.run.domain.RunProjection.ApiState.PENDING;
import static org.tessera.orchestrator.run.domain.RunProjection.ApiState.PROCESSING;
import static org.tessera.orchestrator.run.domain.RunProjection.ApiState.TERMINATED;
import static org.tessera.orchestrator.run.domain.RunProjection.ApiTerminationReason.ALL_ITEMS_PROCESSED;
import static org.tessera.orchestrator.run.domain.RunProjection.ApiTerminationReason.CANCELED_BY_SYSTEM;
import static org.tessera.orchestrator.run.domain.RunProjection.ApiTerminationReason.CANCELED_BY_USER;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tessera.contracts.RunState;

class RunProjectionTest {

    private static final ItemCounts NONE_SUCCEEDED = new ItemCounts(3, 1, 1, 0, 1, 0, 0);
    private static final ItemCounts ONE_SUCCEEDED = new ItemCounts(3, 1, 0, 1, 1, 0, 0);
    private static final ItemCounts ALL_DONE_NONE_OK = new ItemCounts(2, 0, 0, 0, 1, 1, 0);
    private static final ItemCounts ALL_DONE_SOME_OK = new ItemCounts(3, 0, 0, 2, 1, 0, 0);
    private static final ItemCounts ALL_OK = new ItemCounts(2, 0, 0, 2, 0, 0, 0);

    static Stream<Arguments> theIssueTable() {
        return Stream.of(
                Arguments.of(RunState.RECEIVED, ItemCounts.allPending(2), new RunProjection(PENDING, null, NONE)),
                Arguments.of(RunState.SCHEDULED, ItemCounts.allPending(2), new RunProjection(PENDING, null, NONE)),
                Arguments.of(RunState.RUNNING, NONE_SUCCEEDED, new RunProjection(PROCESSING, null, NONE)),
                Arguments.of(RunState.RUNNING, ONE_SUCCEEDED, new RunProjection(PROCESSING, null, PARTIAL)),
                Arguments.of(RunState.COMPLETED, ALL_OK, new RunProjection(TERMINATED, ALL_ITEMS_PROCESSED, FULL)),
                Arguments.of(
                        RunState.COMPLETED_WITH_ERROR,
                        ALL_DONE_SOME_OK,
                        new RunProjection(TERMINATED, ALL_ITEMS_PROCESSED, PARTIAL)),
                Arguments.of(
                        RunState.COMPLETED_WITH_ERROR,
                        ALL_DONE_NONE_OK,
                        new RunProjection(TERMINATED, ALL_ITEMS_PROCESSED, NONE)),
                Arguments.of(
                        RunState.REJECTED,
                        new ItemCounts(2, 0, 0, 0, 0, 0, 2),
                        new RunProjection(TERMINATED, CANCELED_BY_SYSTEM, NONE)),
                Arguments.of(
                        RunState.CANCELLED_BY_SYSTEM,
                        new ItemCounts(3, 0, 0, 0, 2, 0, 1),
                        new RunProjection(TERMINATED, CANCELED_BY_SYSTEM, NONE)),
                Arguments.of(
                        RunState.CANCELLED_BY_SYSTEM,
                        new ItemCounts(3, 0, 0, 1, 2, 0, 0),
                        new RunProjection(TERMINATED, CANCELED_BY_SYSTEM, PARTIAL)),
                Arguments.of(
                        RunState.CANCELLED_BY_USER,
                        new ItemCounts(3, 0, 0, 0, 0, 0, 3),
                        new RunProjection(TERMINATED, CANCELED_BY_USER, NONE)),
                Arguments.of(
                        RunState.CANCELLED_BY_USER,
                        new ItemCounts(3, 0, 0, 1, 0, 0, 2),
                        new RunProjection(TERMINATED, CANCELED_BY_USER, PARTIAL)));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("theIssueTable")
    void projectsLifecycleStatesOntoTheApiEnums(RunState state, ItemCounts counts, RunProjection expected) {
        assertThat(RunProjection.of(state, counts)).isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("theIssueTable")
    void terminatedExactlyWhenTheLifecycleIsTerminal(RunState state, ItemCounts counts, RunProjection ignored) {
        assertThat(RunProjection.of(state, counts).state() == TERMINATED).isEqualTo(state.isTerminal());
        assertThat(RunProjection.of(state, counts).terminationReason() != null).isEqualTo(state.isTerminal());
    }

    @org.junit.jupiter.api.Test
    void countsMustAddUp() {
        assertThatThrownBy(() -> new ItemCounts(3, 1, 1, 0, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("do not add up");
    }
}
