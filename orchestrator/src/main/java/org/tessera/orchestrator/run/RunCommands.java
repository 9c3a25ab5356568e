package org.tessera.orchestrator.run;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.tessera.orchestrator.application.domain.ApplicationVersion;
import org.tessera.orchestrator.artifact.persistence.OutputArtifactRepository;
import org.tessera.orchestrator.artifact.persistence.OutputArtifactRow;
import org.tessera.orchestrator.common.AfterCommit;
import org.tessera.orchestrator.common.IdGenerator;
import org.tessera.orchestrator.common.api.ApiException;
import org.tessera.orchestrator.outbox.Outbox;
import org.tessera.orchestrator.outbox.OutboxMessage;
import org.tessera.orchestrator.quota.WsiQuotas;
import org.tessera.orchestrator.run.domain.RunEvent;
import org.tessera.orchestrator.run.domain.RunLifecycle;
import org.tessera.orchestrator.run.persistence.RunRepository;
import org.tessera.orchestrator.run.persistence.RunRow;
import org.tessera.orchestrator.run.submission.RunRequestMapping;
import org.tessera.orchestrator.run.submission.RunSubmission;
import org.tessera.orchestrator.tenancy.Caller;

/** What callers of the API can do to runs: submit, cancel, delete outputs. Each is one transaction. */
@ApplicationScoped
public class RunCommands {

    @Inject
    DataSource dataSource;

    @Inject
    RunRepository runs;

    @Inject
    OutputArtifactRepository outputs;

    @Inject
    RunCreation creation;

    @Inject
    RunTransitions transitions;

    @Inject
    RunLifecycle lifecycle;

    @Inject
    Outbox outbox;

    @Inject
    RunVisibility visibility;

    @Inject
    RunOutputs runOutputs;

    @Inject
    IdGenerator ids;

    @Inject
    Clock clock;

    @Inject
    MeterRegistry metrics;

    @Inject
    AfterCommit afterCommit;

    @Inject
    WsiQuotas quotas;

    @Inject
    ParallelRuns parallelRuns;

    /**
     * Stores a validated submission as a RECEIVED run in its organization's admission line and reserves its WSIs
     * against the quotas (402 when they do not fit, which rolls everything back), in one transaction. After the commit
     * the line admits the run ({@link ParallelRuns}): SCHEDULED at once, or held back by a parallel-run limit.
     */
    @Transactional(rollbackOn = Exception.class)
    public UUID submit(RunSubmission checked, ApplicationVersion version, Caller caller) throws SQLException {
        Timer.Sample storing = Timer.start(metrics);
        UUID runId = ids.next();
        RunSubmission submission = RunRequestMapping.withItemIds(checked, runId);
        Instant now = clock.instant();
        List<OutboxMessage> messages = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            RunRow run = creation.create(
                    c,
                    runId,
                    submission,
                    version.number(),
                    caller.organizationId(),
                    caller.userId(),
                    now,
                    true,
                    messages);
            outbox.appendAll(c, messages);
            // Admission is the line's: right after the commit (wake, below) it schedules the run, or keeps it waiting
            // for a parallel-run slot. The run never travels through Kafka, as other services' run requests do.
            parallelRuns.queue(c, run, now);
            // Last, just before the commit: the reservation locks the organization's row, and every submission of the
            // organization waits for that lock, so it is held for a few statements, not for the whole run's rows.
            quotas.reserveOrRefuse(
                    c,
                    runId,
                    caller.organizationId(),
                    caller.userId(),
                    submission.items().size(),
                    now);
        }
        storing.stop(metrics.timer("tessera.runs.submission.store"));
        String applicationId = submission.applicationId();
        int items = submission.items().size();
        String organizationId = caller.organizationId();
        afterCommit.run(() -> parallelRuns.wake(organizationId));
        afterCommit.run(() -> {
            metrics.counter("tessera.runs.created", "application_id", applicationId)
                    .increment();
            metrics.counter("tessera.items.submitted", "application_id", applicationId)
                    .increment(items);
        });
        return runId;
    }

    /**
     * Cancels a run of the caller's: 404 if they cannot see it, 403 if they can but it is not theirs, 409 if it has
     * already ended.
     */
    @Transactional(rollbackOn = Exception.class)
    public void cancel(UUID runId, Caller caller) throws SQLException {
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection()) {
            RunRow run = visibility.changeable(c, runId, caller, "cancel it");
            if (!lifecycle.allows(run.state, RunEvent.Kind.CANCEL_BY_USER)) {
                throw ApiException.conflict("Run " + runId + " has already terminated (" + run.state + ")");
            }
            List<OutboxMessage> messages = new ArrayList<>();
            transitions.apply(c, run, new RunEvent.CancelByUser(), now, messages);
            runs.update(c, List.of(run));
            outbox.appendAll(c, messages);
        }
    }

    /**
     * Deletes a terminated run's output files (only its owner may): 409 while the run is still going, 410 when they
     * are already gone (deleted by the owner or by retention).
     */
    @Transactional(rollbackOn = Exception.class)
    public void deleteOutputs(UUID runId, Caller caller) throws SQLException, IOException {
        try (Connection c = dataSource.getConnection()) {
            RunRow run = visibility.changeable(c, runId, caller, "delete its outputs");
            if (!run.state.isTerminal()) {
                throw ApiException.conflict("Run " + runId + " has not terminated yet (" + run.state + ")");
            }
            Optional<String> deleted = runs.outputsDeleted(c, runId);
            List<OutputArtifactRow> stored = outputs.ofRun(c, runId);
            boolean anyAvailable = stored.stream().anyMatch(o -> OutputArtifactRow.AVAILABLE.equals(o.output()));
            if (deleted.isPresent() || (!stored.isEmpty() && !anyAvailable)) {
                throw ApiException.gone("The artifacts of run " + runId + " have already been deleted ("
                        + deleted.orElse(stored.getFirst().output()) + ")");
            }
            runOutputs.delete(c, runId, OutputArtifactRow.DELETED_BY_USER, clock.instant());
        }
    }
}
