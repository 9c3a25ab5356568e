package org.tessera.orchestrator.run.progress;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.tessera.orchestrator.item.persistence.ItemRow;
import org.tessera.orchestrator.run.persistence.RunRow;

/**
 * The runs and items one transaction holds locked while it applies item signals, and which of them it changed
 * (those are written back, once, at the end).
 */
public final class LockedItems {

    private final Map<UUID, RunRow> runs;
    private final Map<UUID, ItemRow> items;
    private final Map<UUID, List<ItemRow>> itemsByRun;
    private final Set<ItemRow> changedItems = new LinkedHashSet<>();
    private final Set<RunRow> changedRuns = new LinkedHashSet<>();

    LockedItems(Map<UUID, RunRow> runs, Map<UUID, ItemRow> items) {
        this.runs = runs;
        this.items = items;
        this.itemsByRun = items.values().stream().collect(Collectors.groupingBy(item -> item.runId));
    }

    /** The locked run, or null when it does not exist. */
    public RunRow run(UUID runId) {
        return runs.get(runId);
    }

    /** The locked item, or null when it does not exist. */
    public ItemRow item(UUID itemId) {
        return items.get(itemId);
    }

    public Collection<ItemRow> items() {
        return items.values();
    }

    /** Every locked item of a run. */
    List<ItemRow> itemsOf(RunRow run) {
        return itemsByRun.getOrDefault(run.runId, List.of());
    }

    /**
     * Notes that an item and its run changed. A run that has terminated skipped its open items in bulk, so its other
     * locked items are written back with their in-memory state too.
     */
    void changed(RunRow run, ItemRow item) {
        changedItems.add(item);
        changedRuns.add(run);
        if (run.state.isTerminal()) {
            changedItems.addAll(itemsOf(run));
        }
    }

    Set<ItemRow> changedItems() {
        return changedItems;
    }

    Set<RunRow> changedRuns() {
        return changedRuns;
    }
}
