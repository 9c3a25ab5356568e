package org.tessera.orchestrator.run.admission;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.tessera.orchestrator.messaging.ConsumedRecord;
import org.tessera.orchestrator.messaging.ConsumerSpans;

/**
 * Kafka adapter: each record of {@code tessera.run-requests.v1} goes through {@link Admission} on its own, under a
 * span that continues the trace its producer sent along (the REST submission's, for requests from the outbox).
 */
@ApplicationScoped
public class RunRequestConsumer {

    @Inject
    Admission admission;

    @Inject
    Tracer tracer;

    @Incoming("run-requests")
    @Blocking(ordered = true)
    public void consume(ConsumerRecords<String, byte[]> records) {
        for (ConsumerRecord<String, byte[]> record : records) {
            ConsumedRecord consumed = ConsumedRecord.of(record);
            Span span = ConsumerSpans.start(tracer, consumed, Admission.CONSUMER_GROUP);
            Scope scope = span.makeCurrent();
            try {
                admission.handle(consumed);
            } catch (RuntimeException e) {
                span.recordException(e);
                span.setStatus(StatusCode.ERROR, e.getMessage());
                throw e;
            } finally {
                scope.close();
                span.end();
            }
        }
    }
}
