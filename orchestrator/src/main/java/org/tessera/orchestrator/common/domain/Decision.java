package org.tessera.orchestrator.common.domain;

import java.util.List;
import java.util.Objects;

/**
 * What a lifecycle decided for one event: the state to be in afterwards and the effects the caller must carry out
 * (in the same transaction as the state change).
 *
 * @param outcome whether anything happened
 * @param state the state after the event (the old state when nothing changed)
 * @param effects what to emit, in order; empty unless {@code outcome} is {@link Outcome#CHANGED} or
 *     {@link Outcome#UNCHANGED}
 */
public record Decision<S, E>(Outcome outcome, S state, List<E> effects) {

    public enum Outcome {
        /** The state changed. */
        CHANGED,
        /** The event was applied (e.g. a heartbeat was recorded) but the state stays as it was. */
        UNCHANGED,
        /** A duplicate, late or stale event: the caller must change nothing. */
        IGNORED
    }

    public Decision {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(state, "state");
        effects = List.copyOf(effects);
    }

    public static <S, E> Decision<S, E> changed(S state, List<E> effects) {
        return new Decision<>(Outcome.CHANGED, state, effects);
    }

    public static <S, E> Decision<S, E> unchanged(S state) {
        return new Decision<>(Outcome.UNCHANGED, state, List.of());
    }

    public static <S, E> Decision<S, E> ignored(S state) {
        return new Decision<>(Outcome.IGNORED, state, List.of());
    }

    public boolean isIgnored() {
        return outcome == Outcome.IGNORED;
    }

    public boolean isChanged() {
        return outcome == Outcome.CHANGED;
    }
}
