package org.tessera.contracts;

/** Stable error codes carried by {@link ItemFailed} and shown in the API's {@code error_code}. */
public final class ErrorCodes {

    // USER_ERROR: something about the input the client can fix.
    public static final String INPUT_URL_UNREACHABLE = "INPUT_URL_UNREACHABLE";
    public static final String INPUT_URL_FORBIDDEN = "INPUT_URL_FORBIDDEN";
    public static final String INPUT_URL_NOT_FOUND = "INPUT_URL_NOT_FOUND";
    public static final String INPUT_URL_NOT_ALLOWED = "INPUT_URL_NOT_ALLOWED";
    /**
     * The download went silent, stayed below the minimum throughput over a window, or did not finish within the
     * download deadline: the worker gave up on the URL and moved on.
     */
    public static final String INPUT_URL_TOO_SLOW = "INPUT_URL_TOO_SLOW";

    public static final String INPUT_CHECKSUM_MISMATCH = "INPUT_CHECKSUM_MISMATCH";
    public static final String INPUT_TOO_LARGE = "INPUT_TOO_LARGE";
    public static final String INPUT_UNREADABLE = "INPUT_UNREADABLE";
    public static final String INPUT_UNSUPPORTED_FORMAT = "INPUT_UNSUPPORTED_FORMAT";
    public static final String INPUT_METADATA_MISMATCH = "INPUT_METADATA_MISMATCH";
    public static final String INPUT_NO_TISSUE = "INPUT_NO_TISSUE";
    public static final String INPUT_NO_RESOLUTION = "INPUT_NO_RESOLUTION";
    public static final String INPUT_NO_PIXEL_DATA = "INPUT_NO_PIXEL_DATA";
    public static final String INPUT_NOT_A_SERIES = "INPUT_NOT_A_SERIES";
    /** Part of the file declares or expands to far more than its bytes justify (a JPEG tile, a table, a zip). */
    public static final String INPUT_DECOMPRESSION_BOMB = "INPUT_DECOMPRESSION_BOMB";
    /** A tile, strip or frame beyond the decode limits, or decoding the file exhausted the worker's memory. */
    public static final String INPUT_TOO_LARGE_DECODED = "INPUT_TOO_LARGE_DECODED";
    /** The worker died twice while the file was being read (a native crash): it is not read a third time. */
    public static final String INPUT_CRASHED_READER = "INPUT_CRASHED_READER";

    // SYSTEM_ERROR: ours to fix.
    public static final String SYSTEM_INTERNAL = "SYSTEM_INTERNAL";
    public static final String SYSTEM_OUTPUT_UPLOAD_FAILED = "SYSTEM_OUTPUT_UPLOAD_FAILED";
    public static final String SYSTEM_WORKER_LOST = "SYSTEM_WORKER_LOST";
    /** The worker kept sending heartbeats but its counters stood still past the stall timeout, every attempt. */
    public static final String SYSTEM_ITEM_STALLED = "SYSTEM_ITEM_STALLED";
    /** Processing the item (after its download) took longer than the worker's per-item deadline. */
    public static final String SYSTEM_ITEM_DEADLINE_EXCEEDED = "SYSTEM_ITEM_DEADLINE_EXCEEDED";

    // Run-level codes.
    public static final String RUN_REJECTED = "RUN_REJECTED";
    public static final String RUN_REJECTED_INVALID_REQUEST = "RUN_REJECTED_INVALID_REQUEST";
    public static final String RUN_REJECTED_UNKNOWN_APPLICATION = "RUN_REJECTED_UNKNOWN_APPLICATION";
    /** The run was cancelled by the platform because more of its items failed than its error threshold allows. */
    public static final String SCHEDULER_ITEMS_WITH_ERROR_THRESHOLD_REACHED =
            "SCHEDULER.ITEMS_WITH_ERROR_THRESHOLD_REACHED";
    /** The run was cancelled by the platform because it was still open at its {@code scheduling.deadline}. */
    public static final String SCHEDULER_DEADLINE_EXCEEDED = "SCHEDULER.DEADLINE_EXCEEDED";

    private ErrorCodes() {}
}
