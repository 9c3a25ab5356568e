package org.tessera.orchestrator.common.api;

/**
 * One page of a list endpoint.
 *
 * @param number 1-based
 * @param size rows per page
 */
public record Page(int number, int size) {

    public Page {
        if (number < 1 || size < 1) {
            throw new IllegalArgumentException("page " + number + " of size " + size);
        }
    }

    /** How many rows come before this page. */
    public long offset() {
        return (long) (number - 1) * size;
    }
}
