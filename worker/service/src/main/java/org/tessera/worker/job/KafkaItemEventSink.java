package org.tessera.worker.job;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.tessera.contracts.ContractsJson;
import org.tessera.contracts.DeadLetter;
import org.tessera.contracts.Envelope;
import org.tessera.contracts.ItemEvent;
import org.tessera.contracts.Topics;

/** Item events and dead letters onto Kafka. Item events are keyed by run id so a run's events stay in order. */
public final class KafkaItemEventSink implements ItemEventSink {

    private static final System.Logger LOG = System.getLogger(KafkaItemEventSink.class.getName());
    private static final long ACK_TIMEOUT_SECONDS = 60;

    private final Producer<String, byte[]> producer;

    public KafkaItemEventSink(Producer<String, byte[]> producer) {
        this.producer = producer;
    }

    @Override
    public void publish(Envelope<? extends ItemEvent> event) throws IOException {
        await(producer.send(record(event)), event.type());
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

    public void publishDeadLetter(String key, Envelope<DeadLetter> letter) throws IOException {
        await(
                producer.send(new ProducerRecord<>(Topics.DEAD_LETTERS, key, ContractsJson.toBytes(letter))),
                letter.type());
    }

    private static ProducerRecord<String, byte[]> record(Envelope<? extends ItemEvent> event) {
        return new ProducerRecord<>(Topics.ITEM_EVENTS, event.runId().toString(), ContractsJson.toBytes(event));
    }

    private static void await(java.util.concurrent.Future<?> send, String what) throws IOException {
        try {
            send.get(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while publishing " + what, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("could not publish " + what, e);
        }
    }
}
