package org.tessera.orchestrator.common.api;

/**
 * A refusal with an HTTP status and a human-readable {@code detail}, rendered as {@code {"detail": "..."}} (the
 * shape FastAPI-based clients of this API expect for non-validation errors).
 */
public class ApiException extends RuntimeException {

    private final int status;

    public ApiException(int status, String detail) {
        super(detail);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static ApiException notFound(String detail) {
        return new ApiException(404, detail);
    }

    public static ApiException conflict(String detail) {
        return new ApiException(409, detail);
    }

    public static ApiException gone(String detail) {
        return new ApiException(410, detail);
    }
}
