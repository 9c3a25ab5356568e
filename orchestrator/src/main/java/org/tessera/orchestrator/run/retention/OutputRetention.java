package org.tessera.orchestrator.run.retention;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.tessera.orchestrator.artifact.persistence.OutputArtifactRow;
import org.tessera.orchestrator.common.persistence.Transactions;
import org.tessera.orchestrator.run.RunOutputs;
import org.tessera.orchestrator.run.persistence.RunRepository;

/**
 * Deletes the outputs of runs that terminated longer than {@code tessera.retention.outputs} ago (docs/organizations.md,
 * "Results"): the files leave the object store and the artifacts become {@code DELETED_BY_SYSTEM}. Runs are taken in
 * batches, each in its own transaction, with {@code FOR UPDATE SKIP LOCKED}: several replicas share the work without
 * waiting for or repeating each other, and a run whose owner is deleting its outputs at that moment is left to them.
 */
@ApplicationScoped
public class OutputRetention {

    private static final Logger LOG = Logger.getLogger(OutputRetention.class);

    /** Runs per transaction: each may hold up to 500 items' files. */
    static final int RUNS_PER_BATCH = 20;

    @Inject
    DataSource dataSource;

    @Inject
    RunRepository runs;

    @Inject
    RunOutputs runOutputs;

    @Inject
    Clock clock;

    @ConfigProperty(name = "tessera.retention.outputs", defaultValue = "P30D")
    Duration retention;

    @Scheduled(
            identity = "output-retention",
            every = "${tessera.retention.check-interval:PT1H}",
            delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void expire() {
        try {
            int expired = deleteOutputsTerminatedBefore(clock.instant().minus(retention));
            if (expired > 0) {
                LOG.infof("retention deleted the outputs of %d run(s)", expired);
            }
        } catch (RuntimeException e) {
            LOG.warn("output retention round failed; the next round retries", e);
        }
    }

    /** Deletes the outputs of every run that terminated before the cut-off; returns how many runs it handled. */
    public int deleteOutputsTerminatedBefore(Instant cutoff) {
        int total = 0;
        while (true) {
            int handled = Transactions.inNew(dataSource, c -> {
                List<UUID> batch = runs.lockOutputsTerminatedBefore(c, cutoff, RUNS_PER_BATCH);
                Instant now = clock.instant();
                for (UUID runId : batch) {
                    runOutputs.delete(c, runId, OutputArtifactRow.DELETED_BY_SYSTEM, now);
                }
                return batch.size();
            });
            total += handled;
            if (handled < RUNS_PER_BATCH) {
                return total;
            }
        }
    }
}
