package org.tessera.worker.common;

import java.util.Objects;

/**
 * The item's input is at fault (a USER_ERROR): retrying will not help, the client has to fix it. Carries a stable
 * code from {@link org.tessera.contracts.ErrorCodes} and a message that names the file or field at fault.
 */
public class InputRejectedException extends Exception {

    private final String code;

    public InputRejectedException(String code, String message) {
        this(code, message, null);
    }

    /** @param cause what the input failed on, or null */
    public InputRejectedException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public String code() {
        return code;
    }
}
