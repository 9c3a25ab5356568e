package org.tessera.orchestrator.run;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.tessera.contracts.RunState;
import org.tessera.orchestrator.common.AfterCommit;
import org.tessera.orchestrator.common.domain.Decision;
import org.tessera.orchestrator.item.persistence.ItemRepository;
import org.tessera.orchestrator.item.persistence.ItemRow;
import org.tessera.orchestrator.outbox.OutboxMessage;
import org.tessera.orchestrator.run.domain.RunEffect;
import org.tessera.orchestrator.run.domain.RunEvent;
import org.tessera.orchestrator.run.domain.RunLifecycle;
import org.tessera.orchestrator.run.persistence.RunRow;

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
                case RunEffect.FanOutSlideJobs fanOut -> fanOut(c, run, now, outbox);
                case RunEffect.SkipOpenItems skip -> skipOpenItems(c, run, decision.state(), event, now);
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

    private void fanOut(Connection c, RunRow run, Instant now, List<OutboxMessage> outbox) throws SQLException {
        for (ItemRow item : items.ofRun(c, run.runId)) {
            if (!item.state.isTerminal()) {
                outbox.add(RunMessages.slideJob(run, item, item.attempt, now));
            }
        }
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
            default -> "The item was not processed because the run ended as " + target + ".";
        };
    }
}
