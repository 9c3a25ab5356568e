package org.tessera.orchestrator.run.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tessera.contracts.RunState;
import org.tessera.orchestrator.common.domain.Decision;
import org.tessera.orchestrator.common.domain.IllegalTransitionException;

class RunLifecycleTest {

    private static final Map<String, RunEvent> EVENTS = new LinkedHashMap<>();

    static {
        EVENTS.put("admit", new RunEvent.Admit());
        EVENTS.put("reject", new RunEvent.Reject("RUN_REJECTED_INVALID_REQUEST", "items[0].external_id is empty"));
        EVENTS.put("item started", new RunEvent.ItemStarted());
        EVENTS.put(
                "item terminated, others open",
                new RunEvent.ItemTerminated(new ItemCounts(3, 1, 1, 1, 0, 0, 0), OptionalInt.empty()));
        EVENTS.put(
                "item terminated, all succeeded",
                new RunEvent.ItemTerminated(new ItemCounts(3, 0, 0, 3, 0, 0, 0), OptionalInt.empty()));
        EVENTS.put(
                "item terminated, all done, some failed",
                new RunEvent.ItemTerminated(new ItemCounts(3, 0, 0, 1, 1, 1, 0), OptionalInt.empty()));
        EVENTS.put(
                "item terminated, failures above the threshold, others open",
                new RunEvent.ItemTerminated(new ItemCounts(5, 1, 1, 0, 2, 1, 0), 2));
        EVENTS.put("cancel by user", new RunEvent.CancelByUser());
        EVENTS.put("cancel by system", new RunEvent.CancelBySystem("SYSTEM_INTERNAL", "operator cancelled"));
    }

    /**
     * The expected outcome for every (state, event) pair, one row per state in the order of {@link #EVENTS}:
     * a target state, UNCHANGED, IGNORED, or ILLEGAL.
     */
    private static final Map<RunState, List<String>> EXPECTED = new LinkedHashMap<>();

    static {
        EXPECTED.put(
                RunState.RECEIVED,
                List.of(
                        "SCHEDULED",
                        "REJECTED",
                        "ILLEGAL",
                        "ILLEGAL",
                        "ILLEGAL",
                        "ILLEGAL",
                        "ILLEGAL",
                        "CANCELLED_BY_USER",
                        "CANCELLED_BY_SYSTEM"));
        EXPECTED.put(
                RunState.SCHEDULED,
                List.of(
                        "ILLEGAL",
                        "ILLEGAL",
                        "RUNNING",
                        "RUNNING",
                        "COMPLETED",
                        "COMPLETED_WITH_ERROR",
                        "CANCELLED_BY_SYSTEM",
                        "CANCELLED_BY_USER",
                        "CANCELLED_BY_SYSTEM"));
        EXPECTED.put(
                RunState.RUNNING,
                List.of(
                        "ILLEGAL",
                        "ILLEGAL",
                        "UNCHANGED",
                        "UNCHANGED",
                        "COMPLETED",
                        "COMPLETED_WITH_ERROR",
                        "CANCELLED_BY_SYSTEM",
                        "CANCELLED_BY_USER",
                        "CANCELLED_BY_SYSTEM"));
        List<String> terminal = List.of(
                "ILLEGAL", "ILLEGAL", "IGNORED", "IGNORED", "IGNORED", "IGNORED", "IGNORED", "ILLEGAL", "ILLEGAL");
        for (RunState state : RunState.values()) {
            if (state.isTerminal()) {
                EXPECTED.put(state, terminal);
            }
        }
    }

    static Stream<Arguments> everyStateAndEvent() {
        List<Arguments> pairs = new ArrayList<>();
        List<String> names = List.copyOf(EVENTS.keySet());
        for (RunState state : RunState.values()) {
            for (int i = 0; i < names.size(); i++) {
                pairs.add(Arguments.of(state, names.get(i), EXPECTED.get(state).get(i)));
            }
        }
        return pairs.stream();
    }

    private final RunLifecycle lifecycle = new RunLifecycle();

    @Test
    void expectationTableCoversEveryState() {
        assertThat(EXPECTED).containsOnlyKeys(RunState.values());
        assertThat(EVENTS.values()).extracting(RunEvent::kind).contains(RunEvent.Kind.values());
    }

    @ParameterizedTest(name = "{0} + {1} -> {2}")
    @MethodSource("everyStateAndEvent")
    void everyPairLandsWhereTheTableSays(RunState state, String eventName, String expected) {
        RunEvent event = EVENTS.get(eventName);
        switch (expected) {
            case "ILLEGAL" -> {
                assertThat(lifecycle.allows(state, event.kind())).isFalse();
                assertThatThrownBy(() -> lifecycle.decide(state, event))
                        .isInstanceOf(IllegalTransitionException.class)
                        .hasMessageContaining(state.name());
            }
            case "IGNORED" -> {
                Decision<RunState, RunEffect> decision = lifecycle.decide(state, event);
                assertThat(decision.outcome()).isEqualTo(Decision.Outcome.IGNORED);
                assertThat(decision.state()).isEqualTo(state);
                assertThat(decision.effects()).isEmpty();
            }
            case "UNCHANGED" -> {
                Decision<RunState, RunEffect> decision = lifecycle.decide(state, event);
                assertThat(decision.outcome()).isEqualTo(Decision.Outcome.UNCHANGED);
                assertThat(decision.state()).isEqualTo(state);
                assertThat(decision.effects()).isEmpty();
            }
            default -> {
                RunState target = RunState.valueOf(expected);
                Decision<RunState, RunEffect> decision = lifecycle.decide(state, event);
                assertThat(decision.outcome()).isEqualTo(Decision.Outcome.CHANGED);
                assertThat(decision.state()).isEqualTo(target);
                // Every change is announced, last, so its statistics include the other effects.
                assertThat(decision.effects().getLast())
                        .isInstanceOf(RunEffect.StateChanged.class)
                        .extracting("from", "to")
                        .containsExactly(state, target);
                boolean skipsOpenItems = target == RunState.REJECTED
                        || target == RunState.CANCELLED_BY_USER
                        || target == RunState.CANCELLED_BY_SYSTEM;
                assertThat(decision.effects().contains(new RunEffect.SkipOpenItems()))
                        .isEqualTo(skipsOpenItems);
                assertThat(decision.effects().contains(new RunEffect.EnqueueItems()))
                        .isEqualTo(target == RunState.SCHEDULED);
            }
        }
    }

    @Test
    void rejectionCarriesItsErrorCodeIntoTheAnnouncement() {
        Decision<RunState, RunEffect> decision =
                lifecycle.decide(RunState.RECEIVED, new RunEvent.Reject("RUN_REJECTED_UNKNOWN_APPLICATION", "nope"));

        assertThat(decision.effects().getLast())
                .isEqualTo(new RunEffect.StateChanged(
                        RunState.RECEIVED, RunState.REJECTED, "RUN_REJECTED_UNKNOWN_APPLICATION", "nope"));
    }

    @Test
    void failuresUpToTheThresholdAreToleratedAndOneMoreCancelsTheRun() {
        Decision<RunState, RunEffect> atThreshold =
                lifecycle.decide(RunState.RUNNING, new RunEvent.ItemTerminated(new ItemCounts(5, 2, 1, 0, 1, 1, 0), 2));
        Decision<RunState, RunEffect> aboveThreshold =
                lifecycle.decide(RunState.RUNNING, new RunEvent.ItemTerminated(new ItemCounts(5, 1, 1, 0, 2, 1, 0), 2));

        assertThat(atThreshold.outcome()).isEqualTo(Decision.Outcome.UNCHANGED);
        assertThat(aboveThreshold.state()).isEqualTo(RunState.CANCELLED_BY_SYSTEM);
        assertThat(aboveThreshold.effects())
                .containsExactly(
                        new RunEffect.SkipOpenItems(),
                        new RunEffect.StateChanged(
                                RunState.RUNNING,
                                RunState.CANCELLED_BY_SYSTEM,
                                "SCHEDULER.ITEMS_WITH_ERROR_THRESHOLD_REACHED",
                                "Run canceled given errors on more than 2 items (3 failed)."));
    }

    @Test
    void aThresholdOfZeroCancelsAtTheFirstFailureAndARunWithoutOneNeverCancels() {
        ItemCounts oneFailed = new ItemCounts(4, 2, 1, 0, 0, 1, 0);

        assertThat(lifecycle
                        .decide(RunState.SCHEDULED, new RunEvent.ItemTerminated(oneFailed, 0))
                        .state())
                .isEqualTo(RunState.CANCELLED_BY_SYSTEM);
        assertThat(lifecycle
                        .decide(
                                RunState.SCHEDULED,
                                new RunEvent.ItemTerminated(new ItemCounts(4, 0, 1, 0, 3, 0, 0), OptionalInt.empty()))
                        .state())
                .isEqualTo(RunState.RUNNING);
    }

    @Test
    void aRunWhoseLastItemFailsCompletesWithErrorEvenAboveTheThreshold() {
        Decision<RunState, RunEffect> decision =
                lifecycle.decide(RunState.RUNNING, new RunEvent.ItemTerminated(new ItemCounts(2, 0, 0, 0, 1, 1, 0), 1));

        assertThat(decision.state()).isEqualTo(RunState.COMPLETED_WITH_ERROR);
    }
}
