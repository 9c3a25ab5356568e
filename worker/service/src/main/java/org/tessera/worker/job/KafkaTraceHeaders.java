package org.tessera.worker.job;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.tessera.contracts.TraceHeaders;

/**
 * W3C trace context ({@link TraceHeaders}) in Kafka record headers, through the W3C propagator: jobs arrive with the
 * orchestrator's context, item events leave with the item's. A missing or malformed header gives a context without a
 * remote parent, so the job is processed as a new trace; it is never a reason to refuse a record.
 */
final class KafkaTraceHeaders {

    private static final TextMapGetter<Headers> GETTER = new TextMapGetter<>() {
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

    private static final TextMapSetter<Headers> SETTER = (carrier, key, value) -> {
        if (carrier != null) {
            carrier.remove(key);
            carrier.add(key, value.getBytes(StandardCharsets.UTF_8));
        }
    };

    private KafkaTraceHeaders() {}

    /** The root context with the record's span context as remote parent, when it carries a valid one. */
    static Context extract(Headers headers) {
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), headers, GETTER);
    }

    /** Writes the span context of {@code context} into the headers; nothing when it has no valid span. */
    static void inject(Context context, Headers headers) {
        W3CTraceContextPropagator.getInstance().inject(context, headers, SETTER);
    }
}
