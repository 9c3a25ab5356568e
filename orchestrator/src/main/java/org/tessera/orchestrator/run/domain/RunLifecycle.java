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
import java.util.OptionalInt;
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
    public static final String ITEMS_WITH_ERROR_THRESHOLD_REACHED = "SCHEDULER.ITEMS_WITH_ERROR_THRESHOLD_REACHED";

    @FunctionalInterface
    private interface Rule {
        Decision<RunState, RunEffect> apply(RunState state, RunEvent event);
    }

    private final OptionalInt failedItemsThreshold;
    private final Map<RunState, Map<Kind, Rule>> table;

    /**
     * @param failedItemsThreshold when present, a run whose failed items reach this number while others are still
     *     open is cancelled by the system; when empty, runs always process every item
     */
    public RunLifecycle(OptionalInt failedItemsThreshold) {
        this.failedItemsThreshold = Objects.requireNonNull(failedItemsThreshold, "failedItemsThreshold");
        failedItemsThreshold.ifPresent(threshold -> {
            if (threshold < 1) {
                throw new IllegalArgumentException("failed items threshold must be >= 1, was " + threshold);
            }
        });
        this.table = buildTable();
    }

    public static RunLifecycle withoutFailureThreshold() {
        return new RunLifecycle(OptionalInt.empty());
    }

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

    private Map<RunState, Map<Kind, Rule>> buildTable() {
        Map<RunState, Map<Kind, Rule>> rules = new EnumMap<>(RunState.class);
        for (RunState state : RunState.values()) {
            rules.put(state, new EnumMap<>(Kind.class));
        }

        rules.get(RECEIVED)
                .put(Kind.ADMIT, (s, e) -> moveTo(s, SCHEDULED, null, null, new RunEffect.FanOutSlideJobs()));
        rules.get(RECEIVED).put(Kind.REJECT, (s, e) -> {
            RunEvent.Reject reject = (RunEvent.Reject) e;
            return moveTo(s, REJECTED, reject.errorCode(), reject.errorMessage(), new RunEffect.SkipOpenItems());
        });

        rules.get(SCHEDULED).put(Kind.ITEM_STARTED, (s, e) -> moveTo(s, RUNNING, null, null));
        rules.get(SCHEDULED).put(Kind.ITEM_TERMINATED, this::afterItemTerminated);
        rules.get(RUNNING).put(Kind.ITEM_STARTED, (s, e) -> Decision.unchanged(s));
        rules.get(RUNNING).put(Kind.ITEM_TERMINATED, this::afterItemTerminated);

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

    private Decision<RunState, RunEffect> afterItemTerminated(RunState state, RunEvent event) {
        ItemCounts counts = ((RunEvent.ItemTerminated) event).counts();
        if (counts.allTerminal()) {
            RunState end = counts.succeeded() == counts.itemCount() ? COMPLETED : COMPLETED_WITH_ERROR;
            return moveTo(state, end, null, null);
        }
        if (failedItemsThreshold.isPresent() && counts.failed() >= failedItemsThreshold.getAsInt()) {
            return moveTo(
                    state,
                    CANCELLED_BY_SYSTEM,
                    ITEMS_WITH_ERROR_THRESHOLD_REACHED,
                    "Run canceled given errors on " + counts.failed() + " items (threshold "
                            + failedItemsThreshold.getAsInt() + ").",
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
