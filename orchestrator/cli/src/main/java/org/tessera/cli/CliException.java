package org.tessera.cli;

/** A failure the user sees as one message and an {@link ExitCode}; {@code code} is the API's error code, if any. */
public class CliException extends RuntimeException {

    private final int exitCode;
    private final String code;

    public CliException(int exitCode, String message) {
        this(exitCode, null, message);
    }

    public CliException(int exitCode, String code, String message) {
        super(message);
        this.exitCode = exitCode;
        this.code = code;
    }

    public CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
        this.code = null;
    }

    public int exitCode() {
        return exitCode;
    }

    /** The API's stable error code (e.g. {@code QUOTA.ORGANIZATION_MONTHLY_WSIS}), or null. */
    public String code() {
        return code;
    }
}
