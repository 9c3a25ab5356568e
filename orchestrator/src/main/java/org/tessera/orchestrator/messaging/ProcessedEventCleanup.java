package org.tessera.orchestrator.messaging;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.tessera.orchestrator.common.persistence.Transactions;

/** Keeps the de-duplication table from growing without bound. */
@ApplicationScoped
public class ProcessedEventCleanup {

    private static final Logger LOG = Logger.getLogger(ProcessedEventCleanup.class);

    @Inject
    DataSource dataSource;

    @Inject
    ProcessedEvents processedEvents;

    @Inject
    Clock clock;

    @ConfigProperty(name = "tessera.orchestrator.processed-event-retention", defaultValue = "P7D")
    Duration retention;

    @Scheduled(
            identity = "processed-event-cleanup",
            every = "1h",
            delayed = "5m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void cleanUp() {
        try {
            int forgotten = Transactions.inNew(
                    dataSource,
                    c -> processedEvents.forgetBefore(c, clock.instant().minus(retention)));
            LOG.debugf("forgot %d processed event ids", forgotten);
        } catch (RuntimeException e) {
            LOG.warn("processed-event cleanup failed; next round retries", e);
        }
    }
}
