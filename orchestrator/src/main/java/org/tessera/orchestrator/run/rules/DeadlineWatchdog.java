package org.tessera.orchestrator.run.rules;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import org.tessera.contracts.ErrorCodes;
import org.tessera.orchestrator.common.persistence.Transactions;
import org.tessera.orchestrator.outbox.Outbox;
import org.tessera.orchestrator.outbox.OutboxMessage;
import org.tessera.orchestrator.run.RunTransitions;
import org.tessera.orchestrator.run.domain.RunEvent;
import org.tessera.orchestrator.run.persistence.RunRepository;
import org.tessera.orchestrator.run.persistence.RunRow;

/**
 * Cancels runs still open at their {@code scheduling.deadline}: CANCELLED_BY_SYSTEM with
 * {@code SCHEDULER.DEADLINE_EXCEEDED}, open items SKIPPED, processed items kept. Replicas share the work: each round
 * locks the overdue runs it cancels with {@code FOR UPDATE SKIP LOCKED}, so two never cancel the same run. Until the
 * watchdog comes round, the dispatcher already holds back the items of a run past its deadline.
 */
@ApplicationScoped
public class DeadlineWatchdog {

    private static final Logger LOG = Logger.getLogger(DeadlineWatchdog.class);

    static final int RUNS_PER_ROUND = 100;

    @Inject
    DataSource dataSource;

    @Inject
    RunRepository runs;

    @Inject
    RunTransitions transitions;

    @Inject
    Outbox outbox;

    @Inject
    Clock clock;

    @Scheduled(
            identity = "deadline-watchdog",
            every = "${tessera.scheduler.deadline-check-interval:PT10S}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void check() {
        try {
            int cancelled = cancelOverdueRuns();
            if (cancelled > 0) {
                LOG.infof("deadline watchdog cancelled %d run(s) past their deadline", cancelled);
            }
        } catch (RuntimeException e) {
            LOG.warn("deadline watchdog round failed; next round retries", e);
        }
    }

    /** Cancels every open run past its deadline that no other transaction holds; returns how many. */
    public int cancelOverdueRuns() {
        int cancelled = 0;
        int round;
        do {
            round = Transactions.inNew(dataSource, this::cancelSome);
            cancelled += round;
        } while (round == RUNS_PER_ROUND);
        return cancelled;
    }

    private int cancelSome(Connection c) throws SQLException {
        Instant now = clock.instant();
        List<RunRow> overdue = runs.lockOverdue(c, now, RUNS_PER_ROUND);
        List<OutboxMessage> messages = new ArrayList<>();
        for (RunRow run : overdue) {
            transitions.apply(
                    c,
                    run,
                    new RunEvent.CancelBySystem(
                            ErrorCodes.SCHEDULER_DEADLINE_EXCEEDED,
                            "The run was still open at its deadline " + run.deadline + "."),
                    now,
                    messages);
        }
        runs.update(c, overdue);
        outbox.appendAll(c, messages);
        return overdue.size();
    }
}
