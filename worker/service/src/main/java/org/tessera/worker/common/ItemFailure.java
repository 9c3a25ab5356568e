package org.tessera.worker.common;

import java.util.List;
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

    /**
     * Maps anything the pipeline throws to a failure. The input is blamed when a reader rejected it ({@link
     * InputRejectedException}), or when memory or stack ran out while a slide reader was decoding it: the readers
     * allocate nothing a file declares before checking it against the limits, so what exhausts them there is the
     * file's content (a codec's work on it, or a recursion it nests). Running out anywhere else (inference, outputs)
     * is the platform's, and retried. docs/slide-inputs.md has the whole table.
     */
    public static ItemFailure of(Throwable error) {
        if (error instanceof InputRejectedException rejected) {
            return new ItemFailure(FailureKind.USER_ERROR, rejected.code(), rejected.getMessage());
        }
        if ((error instanceof OutOfMemoryError || error instanceof StackOverflowError) && whileDecoding(error)) {
            return new ItemFailure(
                    FailureKind.USER_ERROR,
                    ErrorCodes.INPUT_TOO_LARGE_DECODED,
                    "decoding the whole_slide_image exhausted the worker's "
                            + (error instanceof OutOfMemoryError ? "memory" : "stack") + " ("
                            + error.getClass().getSimpleName() + ")");
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

    /** The slide readers: the code that decodes what a file holds. */
    private static final List<String> READERS =
            List.of("org.tessera.slides.", "org.tessera.dicom.", "org.tessera.openslide.");

    /**
     * Whether the innermost frame of the platform's own code is a slide reader's: frames inside it belong to the
     * codecs it calls (the JDK's JPEG and zip code), frames outside it (the worker's tiling, inference and output
     * code) mean the error came from elsewhere. An error without a stack trace is no evidence.
     */
    private static boolean whileDecoding(Throwable error) {
        for (StackTraceElement frame : error.getStackTrace()) {
            if (frame.getClassName().startsWith("org.tessera.")) {
                return READERS.stream().anyMatch(frame.getClassName()::startsWith);
            }
        }
        return false;
    }

    private static String describe(Throwable error) {
        return error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    }
}
