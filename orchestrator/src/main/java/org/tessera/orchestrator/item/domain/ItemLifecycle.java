package org.tessera.orchestrator.item.domain;

import static org.tessera.orchestrator.item.domain.ItemState.PENDING;
import static org.tessera.orchestrator.item.domain.ItemState.PROCESSING;
import static org.tessera.orchestrator.item.domain.ItemState.SKIPPED;
import static org.tessera.orchestrator.item.domain.ItemState.SUCCEEDED;
import static org.tessera.orchestrator.item.domain.ItemState.SYSTEM_ERROR;
import static org.tessera.orchestrator.item.domain.ItemState.USER_ERROR;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tessera.contracts.ErrorCodes;
import org.tessera.orchestrator.common.domain.Decision;
import org.tessera.orchestrator.common.domain.IllegalTransitionException;
import org.tessera.orchestrator.item.domain.ItemSignal.Kind;

/**
 * The item state machine: PENDING → PROCESSING → one of SUCCEEDED, USER_ERROR, SYSTEM_ERROR, SKIPPED. Every allowed
 * (state, signal kind) pair has an entry in {@link #TABLE}; anything else is rejected. Reports from an attempt older
 * than the item's current one, and anything reaching a terminal item, change nothing.
 */
public final class ItemLifecycle {

    @FunctionalInterface
    private interface Rule {
        Decision<ItemStatus, ItemEffect> apply(ItemStatus status, ItemSignal signal);
    }

    private static final Map<ItemState, Map<Kind, Rule>> TABLE = buildTable();

    private ItemLifecycle() {}

    public static Decision<ItemStatus, ItemEffect> decide(ItemStatus status, ItemSignal signal) {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(signal, "signal");
        Rule rule = TABLE.get(status.state()).get(signal.kind());
        if (rule == null) {
            throw new IllegalTransitionException(status.state(), signal.kind());
        }
        if (signal instanceof ItemSignal.FromWorker report
                && !status.state().isTerminal()
                && report.attempt() < status.attempt()) {
            // A worker that lost its lease may still be talking; its job has been handed to a newer attempt.
            return Decision.ignored(status);
        }
        return rule.apply(status, signal);
    }

    private static Map<ItemState, Map<Kind, Rule>> buildTable() {
        Map<ItemState, Map<Kind, Rule>> rules = new EnumMap<>(ItemState.class);
        for (ItemState state : ItemState.values()) {
            rules.put(state, new EnumMap<>(Kind.class));
        }

        Map<Kind, Rule> pending = rules.get(PENDING);
        pending.put(Kind.STARTED, ItemLifecycle::start);
        // A progress report without a start means the start was lost or overtaken: the item is clearly running.
        pending.put(Kind.PROGRESSED, ItemLifecycle::start);
        pending.put(Kind.SUCCEEDED, ItemLifecycle::succeed);
        pending.put(Kind.FAILED, ItemLifecycle::fail);
        pending.put(Kind.SKIP, ItemLifecycle::skip);

        Map<Kind, Rule> processing = rules.get(PROCESSING);
        processing.put(Kind.STARTED, ItemLifecycle::stillProcessing);
        processing.put(Kind.PROGRESSED, ItemLifecycle::stillProcessing);
        processing.put(Kind.SUCCEEDED, ItemLifecycle::succeed);
        processing.put(Kind.FAILED, ItemLifecycle::fail);
        processing.put(Kind.SKIP, ItemLifecycle::skip);
        processing.put(Kind.LEASE_EXPIRED, ItemLifecycle::leaseExpired);

        for (ItemState state : ItemState.values()) {
            if (state.isTerminal()) {
                for (Kind kind : Kind.values()) {
                    rules.get(state).put(kind, (status, signal) -> Decision.ignored(status));
                }
            }
        }
        return rules;
    }

    private static Decision<ItemStatus, ItemEffect> start(ItemStatus status, ItemSignal signal) {
        return Decision.changed(
                new ItemStatus(PROCESSING, attemptAfter(status, signal)), List.of(new ItemEffect.Started()));
    }

    private static Decision<ItemStatus, ItemEffect> stillProcessing(ItemStatus status, ItemSignal signal) {
        int attempt = attemptAfter(status, signal);
        return attempt == status.attempt()
                ? Decision.unchanged(status)
                : Decision.changed(new ItemStatus(PROCESSING, attempt), List.of());
    }

    private static Decision<ItemStatus, ItemEffect> succeed(ItemStatus status, ItemSignal signal) {
        return Decision.changed(
                new ItemStatus(SUCCEEDED, attemptAfter(status, signal)),
                List.of(new ItemEffect.Terminated(SUCCEEDED, null, null)));
    }

    private static Decision<ItemStatus, ItemEffect> fail(ItemStatus status, ItemSignal signal) {
        ItemSignal.Failed failed = (ItemSignal.Failed) signal;
        ItemState outcome = failed.userError() ? USER_ERROR : SYSTEM_ERROR;
        return Decision.changed(
                new ItemStatus(outcome, attemptAfter(status, signal)),
                List.of(new ItemEffect.Terminated(outcome, failed.errorCode(), failed.errorMessage())));
    }

    private static Decision<ItemStatus, ItemEffect> skip(ItemStatus status, ItemSignal signal) {
        ItemSignal.Skip skip = (ItemSignal.Skip) signal;
        return Decision.changed(
                new ItemStatus(SKIPPED, status.attempt()),
                List.of(new ItemEffect.Terminated(SKIPPED, null, skip.errorMessage())));
    }

    private static Decision<ItemStatus, ItemEffect> leaseExpired(ItemStatus status, ItemSignal signal) {
        ItemSignal.LeaseExpired expired = (ItemSignal.LeaseExpired) signal;
        int maxAttempts = expired.maxAttempts();
        if (status.attempt() < maxAttempts) {
            int next = status.attempt() + 1;
            return Decision.changed(new ItemStatus(PENDING, next), List.of(new ItemEffect.Requeued(next)));
        }
        return Decision.changed(
                new ItemStatus(SYSTEM_ERROR, status.attempt()),
                List.of(
                        expired.stalled()
                                ? new ItemEffect.Terminated(
                                        SYSTEM_ERROR,
                                        ErrorCodes.SYSTEM_ITEM_STALLED,
                                        "The worker processing this item reported no progress for too long, "
                                                + status.attempt() + " attempt(s) in a row.")
                                : new ItemEffect.Terminated(
                                        SYSTEM_ERROR,
                                        ErrorCodes.SYSTEM_WORKER_LOST,
                                        "No word from the worker processing this item after " + status.attempt()
                                                + " attempt(s).")));
    }

    private static int attemptAfter(ItemStatus status, ItemSignal signal) {
        return signal instanceof ItemSignal.FromWorker report
                ? Math.max(status.attempt(), report.attempt())
                : status.attempt();
    }
}
