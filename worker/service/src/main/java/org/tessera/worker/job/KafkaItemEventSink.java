package org.tessera.worker.job;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import jakarta.inject.Singleton;
import java.io.IOException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.tessera.contracts.ContractsJson;
import org.tessera.contracts.Envelope;
import org.tessera.contracts.ItemEvent;
import org.tessera.contracts.Topics;
import org.tessera.contracts.tracing.KafkaTraceHeaders;
import org.tessera.contracts.tracing.TraceAttributes;
import org.tessera.worker.common.tracing.Spans;

/**
 * Item events onto Kafka, keyed by run id so a run's events stay in order. Each record carries the trace context
 * current when it is sent (the item's): started and terminal events under a producer span of their own, heartbeats
 * with the context alone.
 */
@Singleton
public final class KafkaItemEventSink implements ItemEventSink {

    private static final System.Logger LOG = System.getLogger(KafkaItemEventSink.class.getName());

    private final Producer<String, byte[]> producer;
    private final Tracer tracer;

    public KafkaItemEventSink(Producer<String, byte[]> producer, Tracer tracer) {
        this.producer = producer;
        this.tracer = tracer;
    }

    @Override
    public void publish(Envelope<? extends ItemEvent> event) throws IOException {
        Span span = tracer.spanBuilder(Topics.ITEM_EVENTS + " publish")
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute(TraceAttributes.MESSAGING_SYSTEM, "kafka")
                .setAttribute(TraceAttributes.MESSAGING_OPERATION, "publish")
                .setAttribute(TraceAttributes.MESSAGING_DESTINATION, Topics.ITEM_EVENTS)
                .setAttribute(TraceAttributes.MESSAGING_KEY, event.runId().toString())
                .setAttribute(TraceAttributes.EVENT_TYPE, event.type())
                .startSpan();
        try {
            Acks.await(producer.send(record(event, Context.current().with(span))), event.type());
        } catch (IOException | RuntimeException e) {
            Spans.failed(span, e);
            throw e;
        } finally {
            span.end();
        }
    }

    @Override
    public void offer(Envelope<? extends ItemEvent> event) {
        producer.send(record(event, Context.current()), (metadata, error) -> {
            if (error != null) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "could not publish " + event.type() + " of " + event.itemId(),
                        error);
            }
        });
    }

    private static ProducerRecord<String, byte[]> record(Envelope<? extends ItemEvent> event, Context trace) {
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(Topics.ITEM_EVENTS, event.runId().toString(), ContractsJson.toBytes(event));
        KafkaTraceHeaders.inject(trace, record.headers());
        return record;
    }
}
