package org.tessera.contracts.tracing;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * W3C trace context ({@code traceparent}, {@code tracestate}: {@code org.tessera.contracts.TraceHeaders}) in Kafka
 * record headers. A header's value is its last occurrence, read as UTF-8; writing one replaces every earlier
 * occurrence. A missing or malformed header gives a context without a remote parent, so the record is processed as a
 * new trace; it is never a reason to refuse a record.
 */
public final class KafkaTraceHeaders {

    /** Reads headers for OpenTelemetry's propagators; {@code get} answers null for a missing header or carrier. */
    public static final TextMapGetter<Headers> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers carrier) {
            List<String> keys = new ArrayList<>();
            for (Header header : carrier) {
                keys.add(header.key());
            }
            return keys;
        }

        @Override
        public String get(Headers carrier, String key) {
            if (carrier == null) {
                return null;
            }
            Header header = carrier.lastHeader(key);
            return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
    };

    /** Writes a header for OpenTelemetry's propagators, in place of any it had under that name. */
    public static final TextMapSetter<Headers> SETTER = (carrier, key, value) -> {
        if (carrier != null) {
            carrier.remove(key);
            carrier.add(key, value.getBytes(StandardCharsets.UTF_8));
        }
    };

    private KafkaTraceHeaders() {}

    /** The root context with the record's span context as remote parent, when it carries a valid one. */
    public static Context extract(Headers headers) {
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), headers, GETTER);
    }

    /** Writes the span context of {@code context} into the headers; nothing when it has no valid span. */
    public static void inject(Context context, Headers headers) {
        W3CTraceContextPropagator.getInstance().inject(context, headers, SETTER);
    }
}
