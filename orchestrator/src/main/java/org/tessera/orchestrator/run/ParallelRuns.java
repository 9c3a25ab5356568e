package org.tessera.orchestrator.run;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import org.tessera.contracts.RunState;
import org.tessera.contracts.tracing.TraceAttributes;
import org.tessera.orchestrator.application.ApplicationAccess;
import org.tessera.orchestrator.application.domain.OrganizationApplications;
import org.tessera.orchestrator.common.persistence.AdvisoryLocks;
import org.tessera.orchestrator.common.persistence.Transactions;
import org.tessera.orchestrator.common.tracing.TraceContext;
import org.tessera.orchestrator.outbox.Outbox;
import org.tessera.orchestrator.outbox.OutboxMessage;
import org.tessera.orchestrator.quota.LimitsChanged;
import org.tessera.orchestrator.quota.domain.RunSlots;
import org.tessera.orchestrator.run.domain.RunEvent;
import org.tessera.orchestrator.run.persistence.RunRepository;
import org.tessera.orchestrator.run.persistence.RunRow;
import org.tessera.orchestrator.run.persistence.WaitingRunRepository;
import org.tessera.orchestrator.run.persistence.WaitingRunRepository.WaitingRun;
import org.tessera.orchestrator.run.submission.RunSubmission;
import org.tessera.orchestrator.run.submission.SubmissionValidator;
import org.tessera.orchestrator.tenancy.persistence.OrganizationRepository;
import org.tessera.orchestrator.tenancy.persistence.OrganizationRow;
import org.tessera.orchestrator.tenancy.persistence.UserRepository;
import org.tessera.orchestrator.tenancy.persistence.UserRow;

/**
 * Admission of the API's runs, and the parallel-run limits, which hold runs back and do not refuse them
 * (docs/organizations.md). Every run the API stores enters its organization's line in the transaction that stores it
 * ({@link #queue}), and the line admits it right after that commit ({@link #wake}): SCHEDULED, or still RECEIVED (API
 * PENDING) while its organization or user is at a limit, until runs of theirs end. Runs that other services put on
 * Kafka come through {@link #admitsNow} instead, from admission. The line is served first in turn first, and every
 * decision is taken under a lock on the organization's run slots (a transaction-scoped advisory lock of its own, not
 * the organization's row: the row's lock is the WSI quota's, which every submission of the organization takes just
 * before it commits, and an admission holds its lock for a whole transaction of several statements), so concurrent
 * admissions never exceed a limit. Limit changes commit before they wake the line, so the decision after them reads
 * the new limits.
 *
 * <p>A run that ends frees its slot when its transaction commits; the line moves on right after, in a transaction of
 * its own (waiting runs are never locked by a transaction that holds other runs, so the two cannot deadlock), and a
 * periodic sweep moves any line a crash or a skipped lock left standing, the runs of a submission whose orchestrator
 * stopped before its wake included.
 */
@ApplicationScoped
public class ParallelRuns {

    private static final Logger LOG = Logger.getLogger(ParallelRuns.class);

    @Inject
    DataSource dataSource;

    @Inject
    OrganizationRepository organizations;

    @Inject
    UserRepository users;

    @Inject
    RunRepository runs;

    @Inject
    WaitingRunRepository waiting;

    @Inject
    RunTransitions transitions;

    @Inject
    Outbox outbox;

    @Inject
    Clock clock;

    @Inject
    Tracer tracer;

    @Inject
    ApplicationAccess applicationAccess;

    @Inject
    SubmissionValidator validator;

    private final Set<String> toWake = new LinkedHashSet<>();
    private final ExecutorService waker = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "tessera-waiting-runs");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * Whether admission may schedule this validated RECEIVED run now. The organization's waiting runs go first; if no
     * slot is left for this one, it joins the line (and stays RECEIVED). Takes the organization's run-slot lock.
     */
    public boolean admitsNow(Connection c, RunRow run, Instant now) throws SQLException {
        if (run.organizationId == null) {
            return true;
        }
        if (waiting.contains(c, run.runId)) {
            return false;
        }
        Optional<OrganizationRow> organization = lockRunSlots(c, run.organizationId);
        admitWaiting(c, organization, run.organizationId, now);
        RunSlots.Occupancy occupancy = occupancy(c, organization, run.organizationId, List.of(run.submittedBy));
        if (occupancy.hasRoomFor(run.submittedBy)) {
            return true;
        }
        waiting.add(c, run, now);
        return false;
    }

    /**
     * Puts a run the API is storing at the end of its organization's line, in the storing transaction; {@link #wake}
     * after the commit admits it. Cheaper than admitting it there: the organization's run-slot lock and the reads of
     * its limits are taken once for every run that arrived meanwhile, by one thread, instead of once per submission
     * while the submission holds the quota's lock.
     */
    public void queue(Connection c, RunRow run, Instant now) throws SQLException {
        waiting.queue(c, run, now);
    }

    /** A run that ended before its turn came leaves the line. */
    public void leave(Connection c, UUID runId) throws SQLException {
        waiting.remove(c, List.of(runId));
    }

    /**
     * Admits the organization's waiting runs that fit now, first in turn first, in a transaction of its own. Called
     * once a run of the organization ended or its limits changed; returns at once.
     */
    public void wake(String organizationId) {
        if (organizationId == null) {
            return;
        }
        boolean first;
        synchronized (toWake) {
            first = toWake.isEmpty();
            toWake.add(organizationId);
        }
        if (first) {
            waker.execute(this::drain);
        }
    }

    void onLimitsChanged(@Observes LimitsChanged changed) {
        wake(changed.organizationId());
    }

    @Scheduled(
            identity = "waiting-runs",
            every = "${tessera.quota.waiting-runs-check-interval:PT15S}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        try {
            List<String> withLines = Transactions.inNew(dataSource, waiting::organizations);
            withLines.forEach(this::wake);
        } catch (RuntimeException e) {
            LOG.warn("waiting-runs sweep failed; the next one retries", e);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        waker.shutdownNow();
    }

    /**
     * Admits the organization's waiting runs that fit now, in the caller's transaction.
     *
     * @return how many were admitted
     */
    public int admitWaiting(Connection c, String organizationId, Instant now) throws SQLException {
        return admitWaiting(c, lockRunSlots(c, organizationId), organizationId, now);
    }

    /**
     * Takes the lock that serialises the organization's parallel-run decisions (until the transaction ends) and reads
     * the organization after it, with its limits as last committed.
     */
    private Optional<OrganizationRow> lockRunSlots(Connection c, String organizationId) throws SQLException {
        AdvisoryLocks.RUN_SLOTS.lock(c, organizationId);
        return organizations.find(c, organizationId);
    }

    private int admitWaiting(Connection c, Optional<OrganizationRow> organization, String organizationId, Instant now)
            throws SQLException {
        List<WaitingRun> line = waiting.lineOf(c, organizationId);
        if (line.isEmpty()) {
            return 0;
        }
        Map<UUID, RunRow> free =
                runs.lockFree(c, line.stream().map(WaitingRun::runId).toList());
        // What the API accepted is checked again when the run is admitted, as admission checks a run from Kafka: a run
        // whose application or version its organization no longer has is rejected instead of taking a slot.
        OrganizationApplications available = applicationAccess.of(c, organizationId);
        List<UUID> gone = new ArrayList<>();
        Map<RunRow, RunEvent.Reject> rejected = new LinkedHashMap<>();
        List<RunSlots.Waiting> inTurn = new ArrayList<>();
        for (WaitingRun run : line) {
            RunRow row = free.get(run.runId());
            if (row == null) {
                continue;
            }
            if (row.state != RunState.RECEIVED) {
                gone.add(run.runId());
                continue;
            }
            Optional<RunEvent.Reject> rejection = Rejections.of(validator.revalidateStored(asStored(row), available));
            if (rejection.isPresent()) {
                rejected.put(row, rejection.get());
            } else {
                inTurn.add(new RunSlots.Waiting(run.runId(), run.submittedBy()));
            }
        }
        RunSlots.Occupancy occupancy = occupancy(
                c,
                organization,
                organizationId,
                inTurn.stream().map(RunSlots.Waiting::userId).distinct().toList());
        List<UUID> starting = RunSlots.admissible(occupancy, inTurn);
        List<OutboxMessage> messages = new ArrayList<>();
        List<RunRow> decided = new ArrayList<>();
        List<UUID> decidedIds = new ArrayList<>(starting);
        rejected.keySet().forEach(run -> decidedIds.add(run.runId));
        Map<UUID, TraceContext> traces = runs.traceContexts(c, decidedIds);
        for (UUID runId : starting) {
            decide(c, free.get(runId), new RunEvent.Admit(), now, traces, messages);
            decided.add(free.get(runId));
        }
        for (Map.Entry<RunRow, RunEvent.Reject> run : rejected.entrySet()) {
            decide(c, run.getKey(), run.getValue(), now, traces, messages);
            decided.add(run.getKey());
        }
        runs.update(c, decided);
        gone.addAll(decidedIds);
        waiting.remove(c, gone);
        Set<UUID> admitted = Set.copyOf(starting);
        waiting.hold(
                c,
                inTurn.stream()
                        .map(RunSlots.Waiting::runId)
                        .filter(id -> !admitted.contains(id))
                        .toList(),
                now);
        outbox.appendAll(c, messages);
        return starting.size();
    }

    /**
     * Applies the line's decision on a run under an {@code admit run} span whose parent is the span that submitted it,
     * as its slide jobs are: a trace shows how long the run waited.
     */
    private void decide(
            Connection c,
            RunRow run,
            RunEvent event,
            Instant now,
            Map<UUID, TraceContext> traces,
            List<OutboxMessage> messages)
            throws SQLException {
        Span span = tracer.spanBuilder("admit run")
                .setParent(traces.getOrDefault(run.runId, TraceContext.NONE).asParent())
                .setAttribute(TraceAttributes.RUN_ID, run.runId.toString())
                .startSpan();
        try {
            List<OutboxMessage> changes = new ArrayList<>();
            transitions.apply(c, run, event, now, changes);
            TraceContext admission = TraceContext.of(Context.root().with(span));
            changes.forEach(message -> messages.add(message.withTrace(admission)));
        } finally {
            span.end();
        }
    }

    /** The part of a stored run that admission checks again: its application and version. */
    private static RunSubmission asStored(RunRow run) {
        return new RunSubmission(run.applicationId, run.versionNumber, null, null, null, null);
    }

    private RunSlots.Occupancy occupancy(
            Connection c, Optional<OrganizationRow> organization, String organizationId, List<String> userIds)
            throws SQLException {
        Map<String, Integer> userLimits = new HashMap<>();
        for (String userId : userIds) {
            userLimits.put(
                    userId, users.find(c, userId).map(UserRow::maxParallelRuns).orElse(null));
        }
        return new RunSlots.Occupancy(
                organization.map(OrganizationRow::maxParallelRuns).orElse(null),
                userLimits,
                runs.inProgressByUser(c, organizationId));
    }

    private void drain() {
        while (true) {
            String organizationId;
            synchronized (toWake) {
                if (toWake.isEmpty()) {
                    return;
                }
                organizationId = toWake.iterator().next();
                toWake.remove(organizationId);
            }
            try {
                int admitted = Transactions.inNew(dataSource, c -> admitWaiting(c, organizationId, clock.instant()));
                if (admitted > 0) {
                    LOG.debugf("admitted %d waiting run(s) of organization %s", admitted, organizationId);
                }
            } catch (RuntimeException e) {
                LOG.warnf(e, "admitting the waiting runs of %s failed; the periodic sweep retries", organizationId);
            }
        }
    }
}
