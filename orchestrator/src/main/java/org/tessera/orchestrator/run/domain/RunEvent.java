package org.tessera.orchestrator.run.domain;

import java.util.Objects;
import java.util.OptionalInt;

/** Something that happened to a run; the run lifecycle decides what it means in the run's current state. */
public sealed interface RunEvent {

    default Kind kind() {
        return switch (this) {
            case Admit admit -> Kind.ADMIT;
            case Reject reject -> Kind.REJECT;
            case ItemStarted started -> Kind.ITEM_STARTED;
            case ItemTerminated terminated -> Kind.ITEM_TERMINATED;
            case CancelByUser cancel -> Kind.CANCEL_BY_USER;
            case CancelBySystem cancel -> Kind.CANCEL_BY_SYSTEM;
        };
    }

    enum Kind {
        ADMIT,
        REJECT,
        ITEM_STARTED,
        ITEM_TERMINATED,
        CANCEL_BY_USER,
        CANCEL_BY_SYSTEM
    }

    /** Admission found the request valid; the run's items can be queued for dispatch. */
    record Admit() implements RunEvent {}

    /** Admission refused the request. */
    record Reject(String errorCode, String errorMessage) implements RunEvent {
        public Reject {
            Objects.requireNonNull(errorCode, "errorCode");
            Objects.requireNonNull(errorMessage, "errorMessage");
        }
    }

    /** One of the run's items began processing. */
    record ItemStarted() implements RunEvent {}

    /**
     * One of the run's items reached a terminal state.
     *
     * @param counts the run's item counts after that item's change
     * @param failedItemsThreshold the most failed items the run may have (fixed at admission); more cancel it. Empty
     *     for runs admitted before thresholds existed: they process every item.
     */
    record ItemTerminated(ItemCounts counts, OptionalInt failedItemsThreshold) implements RunEvent {
        public ItemTerminated {
            Objects.requireNonNull(counts, "counts");
            Objects.requireNonNull(failedItemsThreshold, "failedItemsThreshold");
        }

        public ItemTerminated(ItemCounts counts, int failedItemsThreshold) {
            this(counts, OptionalInt.of(failedItemsThreshold));
        }
    }

    /** The submitting user cancelled the run. */
    record CancelByUser() implements RunEvent {}

    /** The platform gave up on the run (e.g. its deadline passed). */
    record CancelBySystem(String errorCode, String errorMessage) implements RunEvent {
        public CancelBySystem {
            Objects.requireNonNull(errorCode, "errorCode");
            Objects.requireNonNull(errorMessage, "errorMessage");
        }
    }
}
