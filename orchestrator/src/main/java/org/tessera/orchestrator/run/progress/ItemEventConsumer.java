package org.tessera.orchestrator.run.progress;

import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.tessera.orchestrator.messaging.ConsumedRecord;

/** Kafka adapter: hands each poll of {@code tessera.item-events.v1} to {@link ItemEventIngestion} as one batch. */
@ApplicationScoped
public class ItemEventConsumer {

    @Inject
    ItemEventIngestion ingestion;

    @Incoming("item-events")
    @Blocking(ordered = true)
    public void consume(ConsumerRecords<String, byte[]> records) {
        List<ConsumedRecord> batch = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            batch.add(ConsumedRecord.of(record));
        }
        ingestion.ingest(batch);
    }
}
