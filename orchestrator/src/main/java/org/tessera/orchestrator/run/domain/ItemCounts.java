package org.tessera.orchestrator.run.domain;

import org.tessera.contracts.ItemStatistics;

/** How many of a run's items are in each item state; the API's {@code statistics}. */
public record ItemCounts(
        int itemCount, int pending, int processing, int succeeded, int userError, int systemError, int skipped) {

    public ItemCounts {
        if (itemCount < 0
                || pending < 0
                || processing < 0
                || succeeded < 0
                || userError < 0
                || systemError < 0
                || skipped < 0) {
            throw new IllegalArgumentException("negative item count in "
                    + describe(itemCount, pending, processing, succeeded, userError, systemError, skipped));
        }
        if (pending + processing + succeeded + userError + systemError + skipped != itemCount) {
            throw new IllegalArgumentException("item counts do not add up: "
                    + describe(itemCount, pending, processing, succeeded, userError, systemError, skipped));
        }
    }

    /** A freshly submitted run: every item pending. */
    public static ItemCounts allPending(int itemCount) {
        return new ItemCounts(itemCount, itemCount, 0, 0, 0, 0, 0);
    }

    public int open() {
        return pending + processing;
    }

    public int failed() {
        return userError + systemError;
    }

    public boolean allTerminal() {
        return open() == 0;
    }

    public ItemStatistics toContract() {
        return new ItemStatistics(itemCount, pending, processing, succeeded, userError, systemError, skipped);
    }

    private static String describe(int total, int pending, int processing, int ok, int user, int system, int skip) {
        return "total=%d pending=%d processing=%d succeeded=%d user_error=%d system_error=%d skipped=%d"
                .formatted(total, pending, processing, ok, user, system, skip);
    }
}
