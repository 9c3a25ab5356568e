package org.tessera.orchestrator.run.admission;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import org.tessera.contracts.ContractsJson;
import org.tessera.contracts.Envelope;
import org.tessera.contracts.MalformedMessageException;
import org.tessera.contracts.RunRequested;
import org.tessera.contracts.RunState;
import org.tessera.orchestrator.application.ApplicationAccess;
import org.tessera.orchestrator.messaging.ConsumedRecord;
import org.tessera.orchestrator.messaging.DeadLetters;
import org.tessera.orchestrator.messaging.ProcessedEvents;
import org.tessera.orchestrator.messaging.Transient;
import org.tessera.orchestrator.outbox.Outbox;
import org.tessera.orchestrator.outbox.OutboxMessage;
import org.tessera.orchestrator.quota.WsiQuotas;
import org.tessera.orchestrator.quota.domain.QuotaExceeded;
import org.tessera.orchestrator.run.ParallelRuns;
import org.tessera.orchestrator.run.Rejections;
import org.tessera.orchestrator.run.RunCreation;
import org.tessera.orchestrator.run.RunTransitions;
import org.tessera.orchestrator.run.domain.RunEvent;
import org.tessera.orchestrator.run.persistence.RunRepository;
import org.tessera.orchestrator.run.persistence.RunRow;
import org.tessera.orchestrator.run.submission.RunRequestMapping;
import org.tessera.orchestrator.run.submission.RunSubmission;
import org.tessera.orchestrator.run.submission.SubmissionValidator;
import org.tessera.orchestrator.tenancy.persistence.OrganizationRepository;
import org.tessera.orchestrator.tenancy.persistence.UserRepository;
import org.tessera.orchestrator.tenancy.persistence.UserRow;

/**
 * Admission of the run requests other services produce on Kafka: creates the run if it does not exist yet,
 * validates the request against the catalogue and the quotas, and either schedules the run (its items then wait for
 * the dispatcher), holds it back for a parallel-run limit, or rejects it with an error code. The REST API's runs do
 * not come this way: they are admitted by their organization's line ({@link ParallelRuns}) right after they are
 * stored.
 */
@ApplicationScoped
public class Admission {

    public static final String CONSUMER_GROUP = "tessera-orchestrator-admission";

    private static final Logger LOG = Logger.getLogger(Admission.class);

    /** What the first read of a run request leaves out. */
    private static final Set<String> ITEMS = Set.of("items");

    @Inject
    DataSource dataSource;

    @Inject
    RunRepository runs;

    @Inject
    RunCreation creation;

    @Inject
    RunTransitions transitions;

    @Inject
    SubmissionValidator validator;

    @Inject
    ApplicationAccess applicationAccess;

    @Inject
    ProcessedEvents processedEvents;

    @Inject
    Outbox outbox;

    @Inject
    DeadLetters deadLetters;

    @Inject
    Clock clock;

    @Inject
    WsiQuotas quotas;

    @Inject
    ParallelRuns parallelRuns;

    @Inject
    OrganizationRepository organizations;

    @Inject
    UserRepository users;

    public void handle(ConsumedRecord record) {
        Envelope<RunRequested> envelope;
        try {
            // The header only: when the run is already stored (a redelivered request, or one the API put on the
            // topic before its runs were admitted by the line), building the items again is most of the cost of
            // reading a 500-item request. admit() reads them when it needs them.
            envelope = ContractsJson.readWithout(record.value(), RunRequested.class, ITEMS);
        } catch (MalformedMessageException e) {
            deadLetters.publish(record, CONSUMER_GROUP, "unreadable run request: " + e.getMessage(), null);
            return;
        }
        try {
            Transient.inNewTransaction("admission of run " + envelope.runId(), dataSource, c -> {
                admit(c, record, envelope);
                return null;
            });
        } catch (Exception e) {
            if (Transient.isTransient(e)) {
                throw new IllegalStateException("database unavailable; run request stays unconsumed", e);
            }
            LOG.errorf(e, "admission of run %s failed", envelope.runId());
            deadLetters.publish(record, CONSUMER_GROUP, "admission failed: " + e, envelope.runId());
        }
    }

    private void admit(Connection c, ConsumedRecord record, Envelope<RunRequested> envelope) throws SQLException {
        Instant now = clock.instant();
        if (processedEvents.markProcessed(c, List.of(envelope.eventId()), now).isEmpty()) {
            return;
        }
        RunRequested request = envelope.payload();
        UUID runId = envelope.runId();
        List<OutboxMessage> messages = new ArrayList<>();
        Optional<RunRow> existing = runs.lock(c, runId);
        // A stored run in RECEIVED passed validation when it was stored (by admission before a parallel-run limit
        // held it back, or by the API of an earlier release, which put its runs' requests on this topic): its items
        // are not checked again, only that its version is still there.
        boolean stored = existing.isPresent()
                && existing.get().state == RunState.RECEIVED
                && existing.get().versionNumber.equals(request.applicationVersion());
        if (!stored) {
            try {
                request = ContractsJson.read(record.value(), RunRequested.class).payload();
            } catch (MalformedMessageException e) {
                messages.add(deadLetters.message(
                        record, CONSUMER_GROUP, "unreadable run request: " + e.getMessage(), runId));
                outbox.appendAll(c, messages);
                return;
            }
        }
        RunSubmission submission = RunRequestMapping.toSubmission(request);
        SubmissionValidator.Verdict verdict = stored
                ? validator.revalidateStored(submission, applicationAccess.of(c, request.organizationId()))
                : validator.validate(submission, applicationAccess.of(c, request.organizationId()));
        RunRow run;
        if (existing.isPresent()) {
            run = existing.get();
            if (!run.submittedBy.equals(request.submittedBy())) {
                messages.add(deadLetters.message(
                        record,
                        CONSUMER_GROUP,
                        "run id " + runId + " already belongs to another submitter; pick a fresh run id",
                        runId));
                outbox.appendAll(c, messages);
                return;
            }
            if (run.state != RunState.RECEIVED) {
                // The same request again (a re-send under a new event id): it was decided already.
                return;
            }
        } else {
            if (request.submittedBy() == null || request.submittedBy().isBlank()) {
                messages.add(deadLetters.message(
                        record, CONSUMER_GROUP, "run request without submitted_by cannot be attributed", runId));
                outbox.appendAll(c, messages);
                return;
            }
            String stranger = unknownSubmitter(c, request);
            if (stranger != null) {
                messages.add(deadLetters.message(record, CONSUMER_GROUP, stranger, runId));
                outbox.appendAll(c, messages);
                return;
            }
            boolean accepted = verdict instanceof SubmissionValidator.Accepted;
            String version = accepted
                    ? ((SubmissionValidator.Accepted) verdict).version().number()
                    : request.applicationVersion();
            run = creation.create(
                    c,
                    runId,
                    submission,
                    version,
                    request.organizationId(),
                    request.submittedBy(),
                    now,
                    accepted,
                    messages);
        }

        Optional<QuotaExceeded> overQuota = existing.isEmpty() && verdict instanceof SubmissionValidator.Accepted
                ? quotas.reserveAtAdmission(
                        c,
                        runId,
                        run.organizationId,
                        run.submittedBy,
                        run.counts().itemCount(),
                        now)
                : Optional.empty();
        RunEvent event = switch (verdict) {
            case SubmissionValidator.Accepted _
            when overQuota.isPresent() ->
                new RunEvent.Reject(
                        overQuota.get().kind().code(), overQuota.get().detail());
            case SubmissionValidator.Accepted accepted -> {
                run.versionNumber = accepted.version().number();
                yield new RunEvent.Admit();
            }
            default -> Rejections.of(verdict).orElseThrow();
        };
        if (event instanceof RunEvent.Admit && !parallelRuns.admitsNow(c, run, now)) {
            // Held back by a parallel-run limit: the run stays RECEIVED in its organization's waiting line.
            runs.update(c, List.of(run));
            outbox.appendAll(c, messages);
            return;
        }
        transitions.apply(c, run, event, now, messages);
        runs.update(c, List.of(run));
        outbox.appendAll(c, messages);
    }

    /**
     * Why the request's organization or submitter is not one the platform knows, or null when the submitter is an
     * active user of that organization. Requests from other services carry both as plain fields; without this check a
     * producer could bill any organization, or an organization nobody can see.
     */
    private String unknownSubmitter(Connection c, RunRequested request) throws SQLException {
        if (request.organizationId() == null
                || organizations.find(c, request.organizationId()).isEmpty()) {
            return "run request names unknown organization " + request.organizationId();
        }
        Optional<UserRow> user = users.find(c, request.submittedBy());
        if (user.isEmpty() || !user.get().active()) {
            return "run request names unknown or removed submitter " + request.submittedBy();
        }
        if (!user.get().organizationId().equals(request.organizationId())) {
            return "submitter " + request.submittedBy() + " is not a member of organization "
                    + request.organizationId();
        }
        return null;
    }
}
