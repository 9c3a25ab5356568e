package org.tessera.worker.job;

import jakarta.inject.Singleton;
import java.io.IOException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.tessera.contracts.ContractsJson;
import org.tessera.contracts.Envelope;
import org.tessera.contracts.ItemEvent;
import org.tessera.contracts.Topics;

/** Item events onto Kafka, keyed by run id so a run's events stay in order. */
@Singleton
public final class KafkaItemEventSink implements ItemEventSink {

    private static final System.Logger LOG = System.getLogger(KafkaItemEventSink.class.getName());

    private final Producer<String, byte[]> producer;

    public KafkaItemEventSink(Producer<String, byte[]> producer) {
        this.producer = producer;
    }

    @Override
    public void publish(Envelope<? extends ItemEvent> event) throws IOException {
        Acks.await(producer.send(record(event)), event.type());
    }

    @Override
    public void offer(Envelope<? extends ItemEvent> event) {
        producer.send(record(event), (metadata, error) -> {
            if (error != null) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "could not publish " + event.type() + " of " + event.itemId(),
                        error);
            }
        });
    }

    private static ProducerRecord<String, byte[]> record(Envelope<? extends ItemEvent> event) {
        return new ProducerRecord<>(Topics.ITEM_EVENTS, event.runId().toString(), ContractsJson.toBytes(event));
    }
}
