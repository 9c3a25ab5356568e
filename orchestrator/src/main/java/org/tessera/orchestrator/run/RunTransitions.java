package org.tessera.orchestrator.run;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.tessera.contracts.RunState;
import org.tessera.orchestrator.common.AfterCommit;
import org.tessera.orchestrator.common.domain.Decision;
import org.tessera.orchestrator.item.persistence.ItemRepository;
import org.tessera.orchestrator.outbox.OutboxMessage;
import org.tessera.orchestrator.run.dispatch.Dispatcher;
import org.tessera.orchestrator.run.domain.RunEffect;
import org.tessera.orchestrator.run.domain.RunEvent;
import org.tessera.orchestrator.run.domain.RunLifecycle;
import org.tessera.orchestrator.run.persistence.RunRow;
import org.tessera.orchestrator.run.rules.ErrorThresholds;

/**
 * Applies run lifecycle decisions inside the caller's transaction: updates the in-memory run (the caller writes it
 * back), carries out the effects in the database, and queues the resulting messages for the outbox.
 */
@ApplicationScoped
public class RunTransitions {

    @Inject
    RunLifecycle lifecycle;

    @Inject
    ItemRepository items;

    @Inject
    ErrorThresholds errorThresholds;

    @Inject
    Dispatcher dispatcher;

    @Inject
    MeterRegistry metrics;

    @Inject
    AfterCommit afterCommit;

    @Inject
    RunEndings endings;

    /**
     * Decides and applies one run event.
     *
     * @param outbox collects the messages to write in this transaction
     * @throws org.tessera.orchestrator.common.domain.IllegalTransitionException when the table forbids the event
     */
    public Decision<RunState, RunEffect> apply(
            Connection c, RunRow run, RunEvent event, Instant now, List<OutboxMessage> outbox) throws SQLException {
        Decision<RunState, RunEffect> decision = lifecycle.decide(run.state, event);
        for (RunEffect effect : decision.effects()) {
            switch (effect) {
                case RunEffect.EnqueueItems enqueue -> enqueue(c, run, now);
                case RunEffect.SkipOpenItems skip -> {
                    skipOpenItems(c, run, decision.state(), event, now);
                    dispatcher.wakeAfterCommit();
                }
                case RunEffect.StateChanged changed -> {
                    run.state = changed.to();
                    run.errorCode = changed.errorCode();
                    run.errorMessage = changed.errorMessage();
                    run.updatedAt = now;
                    if (changed.to().isTerminal()) {
                        run.terminatedAt = now;
                        endings.ended(c, run, changed.from(), now);
                    }
                    outbox.add(RunMessages.runStateChanged(run, changed.from(), now));
                    String state = changed.to().name();
                    afterCommit.run(() -> metrics.counter("tessera.runs.transitions", "state", state)
                            .increment());
                }
            }
        }
        return decision;
    }

    /**
     * Fixes the admitted run's error threshold and lets the dispatcher know its items wait: their slide jobs go out as
     * in-flight places free up, not all at once. Records how long the run waited for admission since it was stored
     * (milliseconds in the line, or as long as a parallel-run limit held it back).
     */
    private void enqueue(Connection c, RunRow run, Instant now) throws SQLException {
        run.failedItemsThreshold = errorThresholds.thresholdFor(c, run);
        dispatcher.wakeAfterCommit();
        Duration waited = Duration.between(run.submittedAt, now);
        afterCommit.run(() ->
                metrics.timer("tessera.runs.admission.wait").record(waited.isNegative() ? Duration.ZERO : waited));
    }

    private void skipOpenItems(Connection c, RunRow run, RunState target, RunEvent event, Instant now)
            throws SQLException {
        int skipped = items.skipOpen(c, run.runId, skipMessage(event, target), now);
        run.countOpenAsSkipped();
        if (skipped > 0) {
            afterCommit.run(() -> metrics.counter("tessera.items.terminal", "reason", "SKIPPED")
                    .increment(skipped));
        }
    }

    /** The error_message of items skipped because their run ended. */
    public static String skipMessage(RunEvent event, RunState target) {
        return switch (event) {
            case RunEvent.CancelByUser cancel ->
                "The item was not processed because the run was cancelled by the user before the item"
                        + " was processed.";
            case RunEvent.Reject reject ->
                "The item was not processed because the run was rejected: " + reject.errorMessage();
            case RunEvent.CancelBySystem cancel ->
                "The item was not processed because the run was cancelled by the system: " + cancel.errorMessage();
            case RunEvent.ItemTerminated terminated
            when target == RunState.CANCELLED_BY_SYSTEM ->
                "The item was not processed because the threshold of "
                        + terminated.failedItemsThreshold().orElse(0)
                        + " items finishing in error state (user or system error) was exceeded before the item was"
                        + " processed.";
            default -> "The item was not processed because the run ended as " + target + ".";
        };
    }
}
