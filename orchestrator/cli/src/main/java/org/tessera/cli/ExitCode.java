package org.tessera.cli;

/** The exit status of every command; documented in {@code orchestrator/cli/README.md}. Scripts switch on these. */
public final class ExitCode {

    /** Done; for {@code runs watch}, every item succeeded. */
    public static final int OK = 0;
    /** The run ended, but some items failed or were skipped (or the run failed or was cancelled). */
    public static final int RUN_FAILED_ITEMS = 1;
    /** The command line is wrong: unknown command or option, missing argument, unreadable slide. */
    public static final int USAGE = 2;
    /** Not signed in, the token expired or was refused (401), or the user may not do this (403). */
    public static final int AUTH = 3;
    /** A quota refused the request (402); the message names the quota. */
    public static final int QUOTA = 4;
    /** The platform refused the request: not found (404), conflict (409), gone (410), invalid (422). */
    public static final int REJECTED = 5;
    /** The platform could not be reached or failed (5xx), or a feature is missing from this build. */
    public static final int UNAVAILABLE = 6;
    /** A downloaded file does not match its CRC32C checksum. */
    public static final int INTEGRITY = 7;
    /** Interrupted (Ctrl-C). */
    public static final int INTERRUPTED = 130;

    private ExitCode() {}

    /** The exit status for an HTTP error status from the API. */
    public static int forHttpStatus(int status) {
        return switch (status) {
            case 401, 403 -> AUTH;
            case 402 -> QUOTA;
            case 400, 404, 405, 409, 410, 413, 422 -> REJECTED;
            default -> UNAVAILABLE;
        };
    }
}
