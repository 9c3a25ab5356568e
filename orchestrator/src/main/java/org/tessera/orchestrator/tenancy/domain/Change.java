package org.tessera.orchestrator.tenancy.domain;

/**
 * One field of a partial update: left as it is, or set to a value that may be null (a limit set to null is
 * unlimited).
 */
public record Change<T>(boolean present, T value) {

    private static final Change<?> KEEP = new Change<>(false, null);

    @SuppressWarnings("unchecked")
    public static <T> Change<T> keep() {
        return (Change<T>) KEEP;
    }

    public static <T> Change<T> to(T value) {
        return new Change<>(true, value);
    }

    /** The new value, or the current one when the field is left as it is. */
    public T applyTo(T current) {
        return present ? value : current;
    }
}
