package org.tessera.orchestrator.messaging;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import org.tessera.contracts.tracing.TraceAttributes;

/**
 * The span of processing one consumed record: a child of the producer's span when the record carried trace headers,
 * else the root of a new trace. SmallRye's own per-record spans are switched off on the orchestrator's channels
 * ({@code mp.messaging.incoming.*.tracing-enabled=false}): they end when a record is received, before any of the work
 * it causes, and in batch mode never become the current span of the method, so the work could not hang under them.
 */
public final class ConsumerSpans {

    private ConsumerSpans() {}

    public static Span start(Tracer tracer, ConsumedRecord record, String consumerGroup) {
        var span = tracer.spanBuilder(record.topic() + " process")
                .setSpanKind(SpanKind.CONSUMER)
                .setParent(record.trace().asParent())
                .setAttribute(TraceAttributes.MESSAGING_SYSTEM, "kafka")
                .setAttribute(TraceAttributes.MESSAGING_OPERATION, "process")
                .setAttribute(TraceAttributes.MESSAGING_DESTINATION, record.topic())
                .setAttribute(TraceAttributes.MESSAGING_PARTITION, Integer.toString(record.partition()))
                .setAttribute(TraceAttributes.MESSAGING_OFFSET, record.offset())
                .setAttribute(TraceAttributes.CONSUMER_GROUP, consumerGroup);
        if (record.key() != null) {
            span.setAttribute(TraceAttributes.MESSAGING_KEY, record.key());
        }
        return span.startSpan();
    }
}
