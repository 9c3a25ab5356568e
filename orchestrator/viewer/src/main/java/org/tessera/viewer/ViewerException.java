package org.tessera.viewer;

/**
 * A viewer request that cannot be answered, with the HTTP status and the machine-readable code the page shows.
 *
 * @see ViewerSession#error(Exception)
 */
public final class ViewerException extends RuntimeException {

    private final int status;
    private final String code;

    public ViewerException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public ViewerException(int status, String code, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    /** E.g. {@code SLIDE_URL_EXPIRED}. */
    public String code() {
        return code;
    }

    static ViewerException badRequest(String message) {
        return new ViewerException(400, "BAD_REQUEST", message);
    }

    static ViewerException notFound(String message) {
        return new ViewerException(404, "NOT_FOUND", message);
    }
}
