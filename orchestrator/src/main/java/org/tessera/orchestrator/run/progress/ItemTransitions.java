package org.tessera.orchestrator.run.progress;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.tessera.contracts.RunState;
import org.tessera.orchestrator.common.AfterCommit;
import org.tessera.orchestrator.common.domain.Decision;
import org.tessera.orchestrator.item.domain.ItemEffect;
import org.tessera.orchestrator.item.domain.ItemLifecycle;
import org.tessera.orchestrator.item.domain.ItemSignal;
import org.tessera.orchestrator.item.domain.ItemState;
import org.tessera.orchestrator.item.domain.ItemStatus;
import org.tessera.orchestrator.item.persistence.ItemRow;
import org.tessera.orchestrator.outbox.OutboxMessage;
import org.tessera.orchestrator.run.RunMessages;
import org.tessera.orchestrator.run.RunTransitions;
import org.tessera.orchestrator.run.domain.RunEffect;
import org.tessera.orchestrator.run.domain.RunEvent;
import org.tessera.orchestrator.run.persistence.RunRow;

/**
 * Applies item lifecycle decisions to locked, in-memory rows inside the caller's transaction, and passes what they
 * mean for the run on to the run lifecycle. The caller writes the rows back.
 */
@ApplicationScoped
public class ItemTransitions {

    @Inject
    RunTransitions runTransitions;

    @Inject
    MeterRegistry metrics;

    @Inject
    AfterCommit afterCommit;

    /**
     * @param loadedItemsOfRun every row of this run the caller holds in memory (including {@code item}); kept in step
     *     when the run's decision skips all open items in the database
     * @return the item decision; nothing was changed when it is ignored
     */
    public Decision<ItemStatus, ItemEffect> apply(
            Connection c,
            RunRow run,
            ItemRow item,
            ItemSignal signal,
            Instant now,
            Collection<ItemRow> loadedItemsOfRun,
            List<OutboxMessage> outbox)
            throws SQLException {
        Decision<ItemStatus, ItemEffect> decision = ItemLifecycle.decide(item.status(), signal);
        if (decision.isIgnored()) {
            return decision;
        }
        ItemState before = item.state;
        item.state = decision.state().state();
        item.attempt = decision.state().attempt();
        item.updatedAt = now;
        for (ItemEffect effect : decision.effects()) {
            switch (effect) {
                case ItemEffect.Started started -> {
                    if (item.startedAt == null) {
                        item.startedAt = now;
                    }
                    run.countTransition(before, item.state);
                    applyToRun(c, run, new RunEvent.ItemStarted(), now, loadedItemsOfRun, outbox);
                }
                case ItemEffect.Terminated terminated -> {
                    item.terminatedAt = now;
                    item.errorCode = terminated.errorCode();
                    item.errorMessage = terminated.errorMessage();
                    run.countTransition(before, item.state);
                    String reason = terminated.outcome().name();
                    afterCommit.run(() -> metrics.counter("tessera.items.terminal", "reason", reason)
                            .increment());
                    applyToRun(c, run, new RunEvent.ItemTerminated(run.counts()), now, loadedItemsOfRun, outbox);
                }
                case ItemEffect.Requeued requeued -> {
                    run.countTransition(before, item.state);
                    item.workerId = null;
                    item.lastEventAt = null;
                    outbox.add(RunMessages.slideJob(run, item, requeued.attempt(), now));
                    afterCommit.run(
                            () -> metrics.counter("tessera.items.requeued").increment());
                }
            }
        }
        return decision;
    }

    private void applyToRun(
            Connection c,
            RunRow run,
            RunEvent event,
            Instant now,
            Collection<ItemRow> loadedItemsOfRun,
            List<OutboxMessage> outbox)
            throws SQLException {
        Decision<RunState, RunEffect> decision = runTransitions.apply(c, run, event, now, outbox);
        if (decision.effects().contains(new RunEffect.SkipOpenItems())) {
            // The database rows were skipped in bulk; the copies in memory must agree before they are written back.
            for (ItemRow other : loadedItemsOfRun) {
                if (!other.state.isTerminal()) {
                    other.state = ItemState.SKIPPED;
                    other.terminatedAt = now;
                    other.updatedAt = now;
                    other.errorMessage = RunTransitions.skipMessage(event, run.state);
                }
            }
        }
    }
}
