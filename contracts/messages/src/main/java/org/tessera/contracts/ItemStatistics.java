package org.tessera.contracts;

/** Item counts of a run, by item state and outcome. */
public record ItemStatistics(
        int itemCount, int pending, int processing, int succeeded, int userError, int systemError, int skipped) {}
