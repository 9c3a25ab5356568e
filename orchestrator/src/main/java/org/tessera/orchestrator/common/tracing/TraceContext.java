package org.tessera.orchestrator.common.tracing;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.tessera.contracts.TraceHeaders;
import org.tessera.contracts.tracing.KafkaTraceHeaders;

/**
 * A span's context in its W3C form ({@code traceparent}, {@code tracestate}): what a run and an outbox row keep so that
 * work done later, on another thread or in another process, continues the same trace. {@link #NONE} when there was no
 * valid span (tracing off, or a record that came without headers).
 */
public record TraceContext(String traceparent, String tracestate) {

    public static final TraceContext NONE = new TraceContext(null, null);

    private static final TextMapGetter<TraceContext> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(TraceContext carrier) {
            return List.of(TraceHeaders.TRACEPARENT, TraceHeaders.TRACESTATE);
        }

        @Override
        public String get(TraceContext carrier, String key) {
            if (carrier == null) {
                return null;
            }
            return switch (key) {
                case TraceHeaders.TRACEPARENT -> carrier.traceparent;
                case TraceHeaders.TRACESTATE -> carrier.tracestate;
                default -> null;
            };
        }
    };

    public TraceContext {
        if (!TraceHeaders.isValidTraceparent(traceparent)) {
            traceparent = null;
            tracestate = null;
        } else if (tracestate != null && tracestate.isBlank()) {
            tracestate = null;
        }
    }

    /**
     * The context a Kafka record's headers carry ({@link TraceHeaders}). Reading never fails: a missing or malformed
     * header is {@link #NONE}, and the record is processed like any other.
     */
    public static TraceContext fromHeaders(Headers headers) {
        return new TraceContext(
                KafkaTraceHeaders.GETTER.get(headers, TraceHeaders.TRACEPARENT),
                KafkaTraceHeaders.GETTER.get(headers, TraceHeaders.TRACESTATE));
    }

    /** The context of the span current on this thread. */
    public static TraceContext current() {
        return of(Context.current());
    }

    /** The span context in {@code context}, or {@link #NONE} when it holds no valid one. */
    public static TraceContext of(Context context) {
        Map<String, String> fields = new HashMap<>(2);
        W3CTraceContextPropagator.getInstance().inject(context, fields, Map::put);
        return new TraceContext(fields.get(TraceHeaders.TRACEPARENT), fields.get(TraceHeaders.TRACESTATE));
    }

    public boolean present() {
        return traceparent != null;
    }

    /** Replaces a record's trace headers with this context; leaves them out when it is {@link #NONE}. */
    public void writeTo(Headers headers) {
        headers.remove(TraceHeaders.TRACEPARENT);
        headers.remove(TraceHeaders.TRACESTATE);
        if (!present()) {
            return;
        }
        KafkaTraceHeaders.SETTER.set(headers, TraceHeaders.TRACEPARENT, traceparent);
        if (tracestate != null) {
            KafkaTraceHeaders.SETTER.set(headers, TraceHeaders.TRACESTATE, tracestate);
        }
    }

    /** A context whose parent span is this one (remote), or the root context when there is none. */
    public Context asParent() {
        return present()
                ? W3CTraceContextPropagator.getInstance().extract(Context.root(), this, GETTER)
                : Context.root();
    }

    /** The trace id, or null. */
    public String traceId() {
        return present() ? TraceHeaders.traceId(traceparent) : null;
    }
}
