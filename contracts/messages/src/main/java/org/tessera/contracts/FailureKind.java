package org.tessera.contracts;

/** Whose fault a failed item is: {@code USER_ERROR} never retries, {@code SYSTEM_ERROR} may. */
public enum FailureKind {
    USER_ERROR,
    SYSTEM_ERROR
}
