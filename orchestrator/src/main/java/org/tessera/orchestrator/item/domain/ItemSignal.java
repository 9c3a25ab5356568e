package org.tessera.orchestrator.item.domain;

import java.util.Objects;

/** Something that happened to an item: a worker's report, a cancellation, or an expired lease. */
public sealed interface ItemSignal {

    default Kind kind() {
        return switch (this) {
            case Started started -> Kind.STARTED;
            case Progressed progressed -> Kind.PROGRESSED;
            case Succeeded succeeded -> Kind.SUCCEEDED;
            case Failed failed -> Kind.FAILED;
            case Skip skip -> Kind.SKIP;
            case LeaseExpired expired -> Kind.LEASE_EXPIRED;
        };
    }

    enum Kind {
        STARTED,
        PROGRESSED,
        SUCCEEDED,
        FAILED,
        SKIP,
        LEASE_EXPIRED
    }

    /** Reports from workers name the attempt they belong to. */
    sealed interface FromWorker extends ItemSignal {
        int attempt();
    }

    record Started(int attempt) implements FromWorker {}

    /** Progress, which is also the worker's heartbeat. */
    record Progressed(int attempt) implements FromWorker {}

    record Succeeded(int attempt) implements FromWorker {}

    /**
     * @param userError true when the input is at fault (USER_ERROR), false when the platform is (SYSTEM_ERROR)
     */
    record Failed(int attempt, boolean userError, String errorCode, String errorMessage) implements FromWorker {
        public Failed {
            Objects.requireNonNull(errorCode, "errorCode");
        }
    }

    /** The run ended before the item did (cancelled or rejected). */
    record Skip(String errorMessage) implements ItemSignal {}

    /**
     * No word from the worker holding the item for longer than the lease, or ({@code stalled}) word without progress
     * for longer than the stall timeout.
     */
    record LeaseExpired(int maxAttempts, boolean stalled) implements ItemSignal {
        public LeaseExpired {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
            }
        }

        /** The worker went silent. */
        public LeaseExpired(int maxAttempts) {
            this(maxAttempts, false);
        }
    }
}
