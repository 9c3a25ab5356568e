package org.tessera.orchestrator.common.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A refusal with an HTTP status, a stable {@code code} and a human-readable {@code detail} that names what is wrong,
 * rendered as {@code {"detail": "...", "code": "...", ...extra}}: {@code detail} is the field FastAPI-based clients
 * of this API read, {@code code} is what integrations switch on, {@code extra} carries structured facts (a quota's
 * limit and usage, say).
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final Map<String, Object> extra;

    public ApiException(int status, String code, String detail) {
        this(status, code, detail, Map.of());
    }

    public ApiException(int status, String code, String detail, Map<String, Object> extra) {
        super(detail);
        this.status = status;
        this.code = Objects.requireNonNull(code, "code");
        this.extra = Map.copyOf(extra);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The response body. */
    public Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("detail", getMessage());
        body.put("code", code);
        body.putAll(extra);
        return body;
    }

    public static ApiException notFound(String detail) {
        return new ApiException(404, "RESOURCE.NOT_FOUND", detail);
    }

    public static ApiException conflict(String detail) {
        return new ApiException(409, "RESOURCE.CONFLICT", detail);
    }

    public static ApiException gone(String detail) {
        return new ApiException(410, "RESOURCE.GONE", detail);
    }

    public static ApiException unauthorized(String code, String detail) {
        return new ApiException(401, code, detail);
    }

    public static ApiException forbidden(String code, String detail) {
        return new ApiException(403, code, detail);
    }

    /**
     * 503 for a request the orchestrator turned away before doing anything with it, so a client may send it again
     * as it is; rendered with a {@code Retry-After} of this many seconds.
     */
    public static ApiException busy(String code, String detail, int retryAfterSeconds) {
        return new ApiException(503, code, detail, Map.of("retry_after_seconds", retryAfterSeconds));
    }

    /** The seconds a client should wait before sending the request again, for a 503 from {@link #busy}. */
    public OptionalInt retryAfterSeconds() {
        return extra.get("retry_after_seconds") instanceof Integer seconds
                ? OptionalInt.of(seconds)
                : OptionalInt.empty();
    }
}
