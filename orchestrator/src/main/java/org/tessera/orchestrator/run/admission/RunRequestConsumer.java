package org.tessera.orchestrator.run.admission;

import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.tessera.orchestrator.messaging.ConsumedRecord;

/** Kafka adapter: each record of {@code tessera.run-requests.v1} goes through {@link Admission} on its own. */
@ApplicationScoped
public class RunRequestConsumer {

    @Inject
    Admission admission;

    @Incoming("run-requests")
    @Blocking(ordered = true)
    public void consume(ConsumerRecords<String, byte[]> records) {
        for (ConsumerRecord<String, byte[]> record : records) {
            admission.handle(ConsumedRecord.of(record));
        }
    }
}
