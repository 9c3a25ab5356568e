package org.tessera.orchestrator.item.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tessera.contracts.ErrorCodes;
import org.tessera.orchestrator.common.domain.Decision;
import org.tessera.orchestrator.common.domain.IllegalTransitionException;

class ItemLifecycleTest {

    private static final Map<String, ItemSignal> SIGNALS = new LinkedHashMap<>();

    static {
        SIGNALS.put("started", new ItemSignal.Started(1));
        SIGNALS.put("progressed", new ItemSignal.Progressed(1));
        SIGNALS.put("succeeded", new ItemSignal.Succeeded(1));
        SIGNALS.put("failed (user)", new ItemSignal.Failed(1, true, ErrorCodes.INPUT_UNREADABLE, "not a TIFF"));
        SIGNALS.put("failed (system)", new ItemSignal.Failed(1, false, ErrorCodes.SYSTEM_INTERNAL, "out of memory"));
        SIGNALS.put("skip", new ItemSignal.Skip("run cancelled"));
        SIGNALS.put("lease expired", new ItemSignal.LeaseExpired(3));
    }

    /** One row per state, in the order of {@link #SIGNALS}: a target state, UNCHANGED, IGNORED or ILLEGAL. */
    private static final Map<ItemState, List<String>> EXPECTED = new LinkedHashMap<>();

    static {
        EXPECTED.put(
                ItemState.PENDING,
                List.of("PROCESSING", "PROCESSING", "SUCCEEDED", "USER_ERROR", "SYSTEM_ERROR", "SKIPPED", "ILLEGAL"));
        EXPECTED.put(
                ItemState.PROCESSING,
                List.of("UNCHANGED", "UNCHANGED", "SUCCEEDED", "USER_ERROR", "SYSTEM_ERROR", "SKIPPED", "PENDING"));
        for (ItemState state : ItemState.values()) {
            if (state.isTerminal()) {
                EXPECTED.put(
                        state, List.of("IGNORED", "IGNORED", "IGNORED", "IGNORED", "IGNORED", "IGNORED", "IGNORED"));
            }
        }
    }

    static Stream<Arguments> everyStateAndSignal() {
        List<Arguments> pairs = new ArrayList<>();
        List<String> names = List.copyOf(SIGNALS.keySet());
        for (ItemState state : ItemState.values()) {
            for (int i = 0; i < names.size(); i++) {
                pairs.add(Arguments.of(state, names.get(i), EXPECTED.get(state).get(i)));
            }
        }
        return pairs.stream();
    }

    @Test
    void expectationTableCoversEveryStateAndKind() {
        assertThat(EXPECTED).containsOnlyKeys(ItemState.values());
        assertThat(SIGNALS.values()).extracting(ItemSignal::kind).contains(ItemSignal.Kind.values());
    }

    @ParameterizedTest(name = "{0} + {1} -> {2}")
    @MethodSource("everyStateAndSignal")
    void everyPairLandsWhereTheTableSays(ItemState state, String signalName, String expected) {
        ItemStatus status = new ItemStatus(state, 1);
        ItemSignal signal = SIGNALS.get(signalName);
        switch (expected) {
            case "ILLEGAL" ->
                assertThatThrownBy(() -> ItemLifecycle.decide(status, signal))
                        .isInstanceOf(IllegalTransitionException.class);
            case "IGNORED" -> {
                Decision<ItemStatus, ItemEffect> decision = ItemLifecycle.decide(status, signal);
                assertThat(decision.outcome()).isEqualTo(Decision.Outcome.IGNORED);
                assertThat(decision.state()).isEqualTo(status);
                assertThat(decision.effects()).isEmpty();
            }
            case "UNCHANGED" -> {
                Decision<ItemStatus, ItemEffect> decision = ItemLifecycle.decide(status, signal);
                assertThat(decision.outcome()).isEqualTo(Decision.Outcome.UNCHANGED);
                assertThat(decision.state()).isEqualTo(status);
                assertThat(decision.effects()).isEmpty();
            }
            default -> {
                ItemState target = ItemState.valueOf(expected);
                Decision<ItemStatus, ItemEffect> decision = ItemLifecycle.decide(status, signal);
                assertThat(decision.outcome()).isEqualTo(Decision.Outcome.CHANGED);
                assertThat(decision.state().state()).isEqualTo(target);
                if (target.isTerminal()) {
                    assertThat(decision.effects())
                            .singleElement()
                            .isInstanceOfSatisfying(
                                    ItemEffect.Terminated.class,
                                    t -> assertThat(t.outcome()).isEqualTo(target));
                } else if (target == ItemState.PROCESSING) {
                    assertThat(decision.effects()).containsExactly(new ItemEffect.Started());
                } else {
                    assertThat(decision.effects()).containsExactly(new ItemEffect.Requeued(2));
                    assertThat(decision.state().attempt()).isEqualTo(2);
                }
            }
        }
    }

    @Test
    void reportsFromAnOlderAttemptAreIgnored() {
        ItemStatus requeued = new ItemStatus(ItemState.PENDING, 2);

        assertThat(ItemLifecycle.decide(requeued, new ItemSignal.Succeeded(1)).isIgnored())
                .isTrue();
        assertThat(ItemLifecycle.decide(requeued, new ItemSignal.Started(1)).isIgnored())
                .isTrue();
        assertThat(ItemLifecycle.decide(requeued, new ItemSignal.Started(2)).state())
                .isEqualTo(new ItemStatus(ItemState.PROCESSING, 2));
    }

    @Test
    void aNewerAttemptReportedByAWorkerBecomesTheCurrentOne() {
        Decision<ItemStatus, ItemEffect> decision =
                ItemLifecycle.decide(new ItemStatus(ItemState.PROCESSING, 1), new ItemSignal.Progressed(2));

        assertThat(decision.outcome()).isEqualTo(Decision.Outcome.CHANGED);
        assertThat(decision.state()).isEqualTo(new ItemStatus(ItemState.PROCESSING, 2));
        assertThat(decision.effects()).isEmpty();
    }

    @Test
    void theLastAllowedAttemptEndsInSystemErrorWhenItsLeaseExpires() {
        Decision<ItemStatus, ItemEffect> decision =
                ItemLifecycle.decide(new ItemStatus(ItemState.PROCESSING, 3), new ItemSignal.LeaseExpired(3));

        assertThat(decision.state()).isEqualTo(new ItemStatus(ItemState.SYSTEM_ERROR, 3));
        assertThat(decision.effects()).singleElement().isInstanceOfSatisfying(ItemEffect.Terminated.class, t -> {
            assertThat(t.outcome()).isEqualTo(ItemState.SYSTEM_ERROR);
            assertThat(t.errorCode()).isEqualTo(ErrorCodes.SYSTEM_WORKER_LOST);
        });
    }

    @Test
    void theLastAllowedAttemptOfAStuckItemEndsAsStalled() {
        Decision<ItemStatus, ItemEffect> decision =
                ItemLifecycle.decide(new ItemStatus(ItemState.PROCESSING, 3), new ItemSignal.LeaseExpired(3, true));

        assertThat(decision.state()).isEqualTo(new ItemStatus(ItemState.SYSTEM_ERROR, 3));
        assertThat(decision.effects()).singleElement().isInstanceOfSatisfying(ItemEffect.Terminated.class, t -> {
            assertThat(t.errorCode()).isEqualTo(ErrorCodes.SYSTEM_ITEM_STALLED);
            assertThat(t.errorMessage()).contains("no progress");
        });
    }

    @Test
    void failuresKeepTheWorkersCodeAndMessage() {
        Decision<ItemStatus, ItemEffect> decision = ItemLifecycle.decide(
                ItemStatus.initial(),
                new ItemSignal.Failed(1, true, ErrorCodes.INPUT_CHECKSUM_MISMATCH, "slide.tiff: CRC32C differs"));

        assertThat(decision.effects())
                .containsExactly(new ItemEffect.Terminated(
                        ItemState.USER_ERROR, ErrorCodes.INPUT_CHECKSUM_MISMATCH, "slide.tiff: CRC32C differs"));
    }

    @Test
    void projectionMatchesTheApiEnums() {
        assertThat(ItemProjection.of(ItemState.PENDING))
                .isEqualTo(new ItemProjection(ItemProjection.ApiState.PENDING, null, ItemProjection.ApiOutput.NONE));
        assertThat(ItemProjection.of(ItemState.SUCCEEDED))
                .isEqualTo(new ItemProjection(
                        ItemProjection.ApiState.TERMINATED,
                        ItemProjection.ApiTerminationReason.SUCCEEDED,
                        ItemProjection.ApiOutput.FULL));
        for (ItemProjection.ApiTerminationReason reason : ItemProjection.ApiTerminationReason.values()) {
            assertThat(ItemProjection.of(ItemProjection.stateOf(reason)).terminationReason())
                    .isEqualTo(reason);
        }
    }
}
