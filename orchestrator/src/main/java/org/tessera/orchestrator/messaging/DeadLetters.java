package org.tessera.orchestrator.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Base64;
import java.util.UUID;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import org.tessera.contracts.DeadLetter;
import org.tessera.contracts.DerivedIds;
import org.tessera.contracts.Envelope;
import org.tessera.contracts.Topics;
import org.tessera.orchestrator.outbox.Outbox;
import org.tessera.orchestrator.outbox.OutboxMessage;

/** Puts records that cannot be processed on the dead-letter topic (through the outbox), with the reason. */
@ApplicationScoped
public class DeadLetters {

    /** Stands in for the run id of a record so broken that no run can be named. */
    public static final UUID UNKNOWN_RUN = new UUID(0L, 0L);

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    @Inject
    DataSource dataSource;

    @Inject
    Outbox outbox;

    @Inject
    Clock clock;

    @Inject
    MeterRegistry metrics;

    /**
     * The message, for callers that write it in their own transaction.
     *
     * @param runId the run the record names, if it could be read that far; else null
     */
    public OutboxMessage message(ConsumedRecord record, String consumerGroup, String reason, UUID runId) {
        LOG.warnf("dead-lettering %s: %s", record, reason);
        metrics.counter("tessera.dead.letters", "topic", record.topic()).increment();
        DeadLetter payload = new DeadLetter(
                record.topic(), record.partition(), record.offset(), consumerGroup, reason, printable(record.value()));
        Envelope<DeadLetter> envelope = Envelope.of(
                DerivedIds.deadLetter(record.topic(), record.partition(), record.offset(), consumerGroup),
                clock.instant(),
                runId == null ? UNKNOWN_RUN : runId,
                null,
                payload);
        return OutboxMessage.of(Topics.DEAD_LETTERS, record.key() == null ? "" : record.key(), envelope);
    }

    /** Dead-letters one record in a transaction of its own. */
    @Transactional(value = Transactional.TxType.REQUIRES_NEW, rollbackOn = Exception.class)
    public void publish(ConsumedRecord record, String consumerGroup, String reason, UUID runId) {
        try (Connection c = dataSource.getConnection()) {
            outbox.append(c, message(record, consumerGroup, reason, runId));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot dead-letter " + record, e);
        }
    }

    private static String printable(byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value))
                    .toString();
        } catch (CharacterCodingException e) {
            return Base64.getEncoder().encodeToString(value);
        }
    }
}
