package org.tessera.localstack;

/** The platform's API answered something a client cannot go on with. */
public final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    public ApiException(String request, int status, String body) {
        super(request + " answered HTTP " + status + (body == null || body.isBlank() ? "" : ": " + abbreviate(body)));
        this.status = status;
    }

    public ApiException(String message) {
        super(message);
        this.status = 0;
    }

    /** The HTTP status, or 0 when the failure was not an HTTP answer. */
    public int status() {
        return status;
    }

    private static String abbreviate(String body) {
        String flat = body.strip();
        return flat.length() > 2000 ? flat.substring(0, 2000) + "..." : flat;
    }
}
