package org.tessera.contracts;

/**
 * The item failed for good (the worker has given up retrying).
 *
 * @param errorCode stable code from {@link ErrorCodes}
 * @param message human-readable explanation naming the file or field at fault
 */
public record ItemFailed(int attempt, String workerId, FailureKind kind, String errorCode, String message)
        implements ItemEvent {

    public static final String TYPE = "item.failed";

    @Override
    public String type() {
        return TYPE;
    }
}
