package org.tessera.worker.common;

import java.util.Objects;
import org.tessera.contracts.ErrorCodes;
import org.tessera.contracts.FailureKind;

/**
 * Why an item failed, as reported in {@code ItemFailed}: whose fault, a stable code and a message.
 *
 * @param kind USER_ERROR (never retried) or SYSTEM_ERROR (retried a bounded number of times)
 * @param code stable code from {@link ErrorCodes}
 * @param message what went wrong, naming the input at fault
 */
public record ItemFailure(FailureKind kind, String code, String message) {

    public ItemFailure {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    public boolean retryable() {
        return kind == FailureKind.SYSTEM_ERROR;
    }

    /** Maps anything the pipeline throws to a failure; only {@link InputRejectedException} blames the input. */
    public static ItemFailure of(Throwable error) {
        if (error instanceof InputRejectedException rejected) {
            return new ItemFailure(FailureKind.USER_ERROR, rejected.code(), rejected.getMessage());
        }
        if (error instanceof OutputUploadException upload) {
            return new ItemFailure(FailureKind.SYSTEM_ERROR, ErrorCodes.SYSTEM_OUTPUT_UPLOAD_FAILED, describe(upload));
        }
        // Internal details stay in the worker's log; the client only learns that it was not their input.
        return new ItemFailure(
                FailureKind.SYSTEM_ERROR,
                ErrorCodes.SYSTEM_INTERNAL,
                "the platform failed to process this item (" + error.getClass().getSimpleName() + ")");
    }

    private static String describe(Throwable error) {
        return error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    }
}
