package org.tessera.contracts;

import java.util.regex.Pattern;

/**
 * Kafka record headers that carry W3C trace context (https://www.w3.org/TR/trace-context/) next to the envelope, so
 * that one slide's spans share one trace from the REST submission to its terminal state. They are additive to the
 * contract: producers send them when they have a trace, consumers continue the trace when a valid {@code traceparent}
 * is present and otherwise start a new one; no consumer may refuse or dead-letter a record for a missing or malformed
 * header. Values are US-ASCII strings in UTF-8.
 */
public final class TraceHeaders {

    /** {@code version-traceid-parentid-flags}, e.g. {@code 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01}. */
    public static final String TRACEPARENT = "traceparent";

    /** Vendor-specific trace state, sent only beside a traceparent and only when not empty. */
    public static final String TRACESTATE = "tracestate";

    private static final Pattern VERSION_00 = Pattern.compile("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
    private static final String INVALID_TRACE = "00000000000000000000000000000000";
    private static final String INVALID_SPAN = "0000000000000000";

    /** Whether a traceparent value is well formed (version 00) with a non-zero trace id and parent id. */
    public static boolean isValidTraceparent(String value) {
        return value != null
                && VERSION_00.matcher(value).matches()
                && !value.substring(3, 35).equals(INVALID_TRACE)
                && !value.substring(36, 52).equals(INVALID_SPAN);
    }

    /** The trace id of a valid traceparent (32 lower-case hex digits). */
    public static String traceId(String traceparent) {
        if (!isValidTraceparent(traceparent)) {
            throw new IllegalArgumentException("not a valid W3C traceparent: '" + traceparent + "'");
        }
        return traceparent.substring(3, 35);
    }

    private TraceHeaders() {}
}
