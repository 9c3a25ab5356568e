package org.tessera.orchestrator.common.tracing;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.tessera.contracts.TraceHeaders;

/**
 * W3C trace context in Kafka record headers ({@link TraceHeaders}). Reading never fails: a missing or malformed header
 * is {@link TraceContext#NONE}, and the record is processed like any other.
 */
public final class KafkaTraceHeaders {

    private KafkaTraceHeaders() {}

    public static TraceContext read(Headers headers) {
        if (headers == null) {
            return TraceContext.NONE;
        }
        return new TraceContext(last(headers, TraceHeaders.TRACEPARENT), last(headers, TraceHeaders.TRACESTATE));
    }

    /** Replaces the trace headers with {@code trace}; leaves them out when it is {@link TraceContext#NONE}. */
    public static void write(Headers headers, TraceContext trace) {
        headers.remove(TraceHeaders.TRACEPARENT);
        headers.remove(TraceHeaders.TRACESTATE);
        if (!trace.present()) {
            return;
        }
        headers.add(TraceHeaders.TRACEPARENT, trace.traceparent().getBytes(StandardCharsets.US_ASCII));
        if (trace.tracestate() != null) {
            headers.add(TraceHeaders.TRACESTATE, trace.tracestate().getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String last(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
