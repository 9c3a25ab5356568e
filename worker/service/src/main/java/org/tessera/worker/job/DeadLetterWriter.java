package org.tessera.worker.job;

import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.tessera.contracts.ContractsJson;
import org.tessera.contracts.DeadLetter;
import org.tessera.contracts.DerivedIds;
import org.tessera.contracts.Envelope;
import org.tessera.contracts.Topics;
import org.tessera.contracts.tracing.KafkaTraceHeaders;

/**
 * Puts a slide-job record that cannot be read onto the dead-letter topic, with the reason and the original value, and
 * counts it. The letter's id is derived from the record's position and the consumer group, so a record dead-lettered
 * twice (after a crash before the commit) is one letter to whoever reads them.
 */
@Singleton
public class DeadLetterWriter {

    private static final System.Logger LOG = System.getLogger(DeadLetterWriter.class.getName());

    private final Producer<String, byte[]> producer;
    private final String groupId;
    private final WorkerMetrics metrics;
    private final Clock clock;

    DeadLetterWriter(Producer<String, byte[]> producer, WorkerConfig config, WorkerMetrics metrics, Clock clock) {
        this.producer = producer;
        this.groupId = config.groupId();
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Publishes the letter and returns once the broker has accepted it. */
    public void write(ConsumerRecord<String, byte[]> record, String reason) throws IOException {
        DeadLetter letter = new DeadLetter(
                record.topic(), record.partition(), record.offset(), groupId, reason, text(record.value()));
        UUID eventId = DerivedIds.deadLetter(record.topic(), record.partition(), record.offset(), groupId);
        Envelope<DeadLetter> envelope = Envelope.of(eventId, clock.instant(), runIdOf(record.value()), null, letter);
        ProducerRecord<String, byte[]> out =
                new ProducerRecord<>(Topics.DEAD_LETTERS, record.key(), ContractsJson.toBytes(envelope));
        // The letter stays in the trace of the record it reports, when that record had one.
        KafkaTraceHeaders.inject(KafkaTraceHeaders.extract(record.headers()), out.headers());
        Acks.await(producer.send(out), envelope.type());
        metrics.deadLettered();
        LOG.log(System.Logger.Level.WARNING, "dead-lettered " + record.topic() + "@" + record.offset() + ": " + reason);
    }

    /** The run id if the broken record still has a readable one, else the nil UUID (envelopes require a run id). */
    private static UUID runIdOf(byte[] value) {
        try {
            return UUID.fromString(
                    ContractsJson.mapper().readTree(value).path("run_id").asText());
        } catch (IOException | RuntimeException e) {
            return new UUID(0, 0);
        }
    }

    /** The value as text when it is UTF-8, else Base64, so the letter always carries it. */
    private static String text(byte[] value) {
        if (value == null) {
            return "";
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value))
                    .toString();
        } catch (CharacterCodingException e) {
            return Base64.getEncoder().encodeToString(value);
        }
    }
}
