package org.tessera.orchestrator.run.progress;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import org.tessera.contracts.RunState;
import org.tessera.orchestrator.common.AfterCommit;
import org.tessera.orchestrator.common.domain.Decision;
import org.tessera.orchestrator.item.domain.ItemEffect;
import org.tessera.orchestrator.item.domain.ItemLifecycle;
import org.tessera.orchestrator.item.domain.ItemSignal;
import org.tessera.orchestrator.item.domain.ItemState;
import org.tessera.orchestrator.item.domain.ItemStatus;
import org.tessera.orchestrator.item.persistence.ItemRepository;
import org.tessera.orchestrator.item.persistence.ItemRow;
import org.tessera.orchestrator.outbox.OutboxMessage;
import org.tessera.orchestrator.run.RunTransitions;
import org.tessera.orchestrator.run.dispatch.Dispatcher;
import org.tessera.orchestrator.run.domain.RunEffect;
import org.tessera.orchestrator.run.domain.RunEvent;
import org.tessera.orchestrator.run.persistence.RunRepository;
import org.tessera.orchestrator.run.persistence.RunRow;

/**
 * Applies item lifecycle decisions to locked, in-memory rows inside the caller's transaction, and passes what they
 * mean for the run on to the run lifecycle: lock, apply signal after signal, store once.
 */
@ApplicationScoped
public class ItemTransitions {

    @Inject
    RunRepository runs;

    @Inject
    ItemRepository items;

    @Inject
    RunTransitions runTransitions;

    @Inject
    Dispatcher dispatcher;

    @Inject
    MeterRegistry metrics;

    @Inject
    AfterCommit afterCommit;

    /** Locks the runs, then the items, each in id order: the order every writer keeps, so that none deadlock. */
    public LockedItems lock(Connection c, Collection<UUID> runIds, Collection<UUID> itemIds) throws SQLException {
        Map<UUID, RunRow> lockedRuns = runs.lockAll(c, runIds);
        return new LockedItems(lockedRuns, items.lockAll(c, itemIds));
    }

    /**
     * Decides and applies one signal to a locked item of a locked run. The run's other locked items are kept in step
     * when the run's decision skips all open items in the database.
     *
     * @return the item decision; nothing was changed when it is ignored
     */
    public Decision<ItemStatus, ItemEffect> apply(
            Connection c,
            LockedItems locked,
            RunRow run,
            ItemRow item,
            ItemSignal signal,
            Instant now,
            List<OutboxMessage> outbox)
            throws SQLException {
        Decision<ItemStatus, ItemEffect> decision = ItemLifecycle.decide(item.status(), signal);
        if (decision.isIgnored()) {
            return decision;
        }
        Collection<ItemRow> loadedItemsOfRun = locked.itemsOf(run);
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
                    applyToRun(c, run, itemTerminated(run), now, loadedItemsOfRun, outbox);
                    dispatcher.wakeAfterCommit();
                }
                case ItemEffect.Requeued requeued -> {
                    run.countTransition(before, item.state);
                    item.workerId = null;
                    item.lastEventAt = null;
                    item.progressedAt = null;
                    // Back in line under the new attempt: the dispatcher hands its job out like any other's.
                    dispatcher.wakeAfterCommit();
                    afterCommit.run(
                            () -> metrics.counter("tessera.items.requeued").increment());
                }
            }
        }
        locked.changed(run, item);
        return decision;
    }

    private static RunEvent.ItemTerminated itemTerminated(RunRow run) {
        return run.failedItemsThreshold == null
                ? new RunEvent.ItemTerminated(run.counts(), OptionalInt.empty())
                : new RunEvent.ItemTerminated(run.counts(), run.failedItemsThreshold);
    }

    /** Writes back the items and runs that changed. */
    public void store(Connection c, LockedItems locked) throws SQLException {
        items.update(c, locked.changedItems());
        runs.update(c, locked.changedRuns());
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
