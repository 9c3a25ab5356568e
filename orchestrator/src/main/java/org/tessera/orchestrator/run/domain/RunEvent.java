package org.tessera.orchestrator.run.domain;

import java.util.Objects;

/** Something that happened to a run; the run lifecycle decides what it means in the run's current state. */
public sealed interface RunEvent {

    Kind kind();

    enum Kind {
        ADMIT,
        REJECT,
        ITEM_STARTED,
        ITEM_TERMINATED,
        CANCEL_BY_USER,
        CANCEL_BY_SYSTEM
    }

    /** Admission found the request valid; the slide jobs can be fanned out. */
    record Admit() implements RunEvent {
        @Override
        public Kind kind() {
            return Kind.ADMIT;
        }
    }

    /** Admission refused the request. */
    record Reject(String errorCode, String errorMessage) implements RunEvent {
        public Reject {
            Objects.requireNonNull(errorCode, "errorCode");
            Objects.requireNonNull(errorMessage, "errorMessage");
        }

        @Override
        public Kind kind() {
            return Kind.REJECT;
        }
    }

    /** One of the run's items began processing. */
    record ItemStarted() implements RunEvent {
        @Override
        public Kind kind() {
            return Kind.ITEM_STARTED;
        }
    }

    /**
     * One of the run's items reached a terminal state.
     *
     * @param counts the run's item counts after that item's change
     */
    record ItemTerminated(ItemCounts counts) implements RunEvent {
        public ItemTerminated {
            Objects.requireNonNull(counts, "counts");
        }

        @Override
        public Kind kind() {
            return Kind.ITEM_TERMINATED;
        }
    }

    /** The submitting user cancelled the run. */
    record CancelByUser() implements RunEvent {
        @Override
        public Kind kind() {
            return Kind.CANCEL_BY_USER;
        }
    }

    /** The platform gave up on the run (e.g. too many failed items). */
    record CancelBySystem(String errorCode, String errorMessage) implements RunEvent {
        public CancelBySystem {
            Objects.requireNonNull(errorCode, "errorCode");
            Objects.requireNonNull(errorMessage, "errorMessage");
        }

        @Override
        public Kind kind() {
            return Kind.CANCEL_BY_SYSTEM;
        }
    }
}
