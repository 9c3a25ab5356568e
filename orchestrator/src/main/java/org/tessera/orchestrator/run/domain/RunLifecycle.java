package org.tessera.orchestrator.run.domain;

import static org.tessera.contracts.RunState.CANCELLED_BY_SYSTEM;
import static org.tessera.contracts.RunState.CANCELLED_BY_USER;
import static org.tessera.contracts.RunState.COMPLETED;
import static org.tessera.contracts.RunState.COMPLETED_WITH_ERROR;
import static org.tessera.contracts.RunState.RECEIVED;
import static org.tessera.contracts.RunState.REJECTED;
import static org.tessera.contracts.RunState.RUNNING;
import static org.tessera.contracts.RunState.SCHEDULED;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tessera.contracts.ErrorCodes;
import org.tessera.contracts.RunState;
import org.tessera.orchestrator.common.domain.Decision;
import org.tessera.orchestrator.common.domain.IllegalTransitionException;
import org.tessera.orchestrator.run.domain.RunEvent.Kind;

/**
 * The run state machine. Every (state, event kind) pair that is allowed has an entry in {@link #table}; anything
 * else is rejected with {@link IllegalTransitionException}. Item events reaching a terminated run are late and
 * change nothing.
 */
public final class RunLifecycle {

    /** Error code of a run the platform cancelled because too many of its items failed. */
    public static final String ITEMS_WITH_ERROR_THRESHOLD_REACHED =
            ErrorCodes.SCHEDULER_ITEMS_WITH_ERROR_THRESHOLD_REACHED;

    @FunctionalInterface
    private interface Rule {
        Decision<RunState, RunEffect> apply(RunState state, RunEvent event);
    }

    private final Map<RunState, Map<Kind, Rule>> table = buildTable();

    public Decision<RunState, RunEffect> decide(RunState state, RunEvent event) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(event, "event");
        Rule rule = table.get(state).get(event.kind());
        if (rule == null) {
            throw new IllegalTransitionException(state, event.kind());
        }
        return rule.apply(state, event);
    }

    /** Whether the table has an entry for the pair, i.e. {@link #decide} would not throw. */
    public boolean allows(RunState state, Kind kind) {
        return table.get(state).containsKey(kind);
    }

    /** The {@code error_message} of a run cancelled because more than {@code threshold} of its items failed. */
    public static String thresholdMessage(int failed, int threshold) {
        return "Run canceled given errors on more than " + threshold + " items (" + failed + " failed).";
    }

    private static Map<RunState, Map<Kind, Rule>> buildTable() {
        Map<RunState, Map<Kind, Rule>> rules = new EnumMap<>(RunState.class);
        for (RunState state : RunState.values()) {
            rules.put(state, new EnumMap<>(Kind.class));
        }

        rules.get(RECEIVED).put(Kind.ADMIT, (s, e) -> moveTo(s, SCHEDULED, null, null, new RunEffect.EnqueueItems()));
        rules.get(RECEIVED).put(Kind.REJECT, (s, e) -> {
            RunEvent.Reject reject = (RunEvent.Reject) e;
            return moveTo(s, REJECTED, reject.errorCode(), reject.errorMessage(), new RunEffect.SkipOpenItems());
        });

        rules.get(SCHEDULED).put(Kind.ITEM_STARTED, (s, e) -> moveTo(s, RUNNING, null, null));
        rules.get(SCHEDULED).put(Kind.ITEM_TERMINATED, RunLifecycle::afterItemTerminated);
        rules.get(RUNNING).put(Kind.ITEM_STARTED, (s, e) -> Decision.unchanged(s));
        rules.get(RUNNING).put(Kind.ITEM_TERMINATED, RunLifecycle::afterItemTerminated);

        for (RunState open : new RunState[] {RECEIVED, SCHEDULED, RUNNING}) {
            rules.get(open)
                    .put(
                            Kind.CANCEL_BY_USER,
                            (s, e) -> moveTo(s, CANCELLED_BY_USER, null, null, new RunEffect.SkipOpenItems()));
            rules.get(open).put(Kind.CANCEL_BY_SYSTEM, (s, e) -> {
                RunEvent.CancelBySystem cancel = (RunEvent.CancelBySystem) e;
                return moveTo(
                        s,
                        CANCELLED_BY_SYSTEM,
                        cancel.errorCode(),
                        cancel.errorMessage(),
                        new RunEffect.SkipOpenItems());
            });
        }

        for (RunState state : RunState.values()) {
            if (state.isTerminal()) {
                // Workers may still report on items of a run that has ended (a cancel raced a result): late news.
                rules.get(state).put(Kind.ITEM_STARTED, (s, e) -> Decision.ignored(s));
                rules.get(state).put(Kind.ITEM_TERMINATED, (s, e) -> Decision.ignored(s));
            }
        }
        return rules;
    }

    private static Decision<RunState, RunEffect> afterItemTerminated(RunState state, RunEvent event) {
        RunEvent.ItemTerminated terminated = (RunEvent.ItemTerminated) event;
        ItemCounts counts = terminated.counts();
        if (counts.allTerminal()) {
            RunState end = counts.succeeded() == counts.itemCount() ? COMPLETED : COMPLETED_WITH_ERROR;
            return moveTo(state, end, null, null);
        }
        if (terminated.failedItemsThreshold().isPresent()
                && counts.failed() > terminated.failedItemsThreshold().getAsInt()) {
            return moveTo(
                    state,
                    CANCELLED_BY_SYSTEM,
                    ITEMS_WITH_ERROR_THRESHOLD_REACHED,
                    thresholdMessage(
                            counts.failed(), terminated.failedItemsThreshold().getAsInt()),
                    new RunEffect.SkipOpenItems());
        }
        return state == RUNNING ? Decision.unchanged(state) : moveTo(state, RUNNING, null, null);
    }

    private static Decision<RunState, RunEffect> moveTo(
            RunState from, RunState to, String errorCode, String errorMessage, RunEffect... more) {
        // The state change is announced last, so that its statistics can include what the other effects did.
        RunEffect[] effects = Arrays.copyOf(more, more.length + 1);
        effects[more.length] = new RunEffect.StateChanged(from, to, errorCode, errorMessage);
        return Decision.changed(to, List.of(effects));
    }
}
