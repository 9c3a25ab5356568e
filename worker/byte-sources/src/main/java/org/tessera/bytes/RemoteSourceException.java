package org.tessera.bytes;

import java.io.IOException;

/**
 * A remote slide could not be read, and why, in words a person can act on. Messages never contain the signed URL.
 */
public final class RemoteSourceException extends IOException {

    /** What went wrong. */
    public enum Reason {
        /** The signed URL's validity has passed, or the storage refuses it (401/403): a new URL is needed. */
        EXPIRED,
        /** The file changed while it was being read (its ETag, Last-Modified or size differ): reopen it. */
        CHANGED,
        /** The storage has no such file (404/410). */
        NOT_FOUND,
        /** The storage does not answer range requests with 206 and a matching Content-Range. */
        NO_RANGE_SUPPORT,
        /** Any other failure: the storage is unreachable, answers an error, or too slowly. */
        UNAVAILABLE
    }

    private final Reason reason;

    public RemoteSourceException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public RemoteSourceException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
