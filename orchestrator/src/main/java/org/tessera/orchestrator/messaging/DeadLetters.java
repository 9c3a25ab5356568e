package org.tessera.orchestrator.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.UUID;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import org.tessera.orchestrator.outbox.Outbox;
import org.tessera.orchestrator.outbox.OutboxMessage;

/** Puts records that cannot be processed on the dead-letter topic (through the outbox), with the reason. */
@ApplicationScoped
public class DeadLetters {

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    @Inject
    DataSource dataSource;

    @Inject
    Outbox outbox;

    @Inject
    Clock clock;

    @Inject
    MeterRegistry metrics;

    /** The message, for callers that write it in their own transaction. */
    public OutboxMessage message(ConsumedRecord record, String consumerGroup, String reason, UUID runId) {
        LOG.warnf("dead-lettering %s: %s", record, reason);
        metrics.counter("tessera.dead.letters", "topic", record.topic()).increment();
        return Messages.deadLetter(
                record.topic(),
                record.partition(),
                record.offset(),
                record.key(),
                record.value(),
                consumerGroup,
                reason,
                runId,
                clock.instant());
    }

    /** Dead-letters one record in a transaction of its own. */
    @Transactional(value = Transactional.TxType.REQUIRES_NEW, rollbackOn = Exception.class)
    public void publish(ConsumedRecord record, String consumerGroup, String reason, UUID runId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            outbox.append(c, message(record, consumerGroup, reason, runId));
        }
    }
}
