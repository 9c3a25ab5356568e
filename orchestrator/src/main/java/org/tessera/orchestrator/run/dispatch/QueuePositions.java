package org.tessera.orchestrator.run.dispatch;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.tessera.contracts.RunState;
import org.tessera.orchestrator.item.domain.ItemState;
import org.tessera.orchestrator.item.persistence.ItemRow;
import org.tessera.orchestrator.run.persistence.RunRow;

/**
 * Where runs and items stand in the {@link DispatchQueue}, for the API. Only runs and items that can be waiting are
 * looked up, so reading a finished run costs nothing extra.
 */
@ApplicationScoped
public class QueuePositions {

    /**
     * How many items of other runs will be dispatched before the run's next waiting item: of its organization's, and
     * of the whole platform's. Both null when nothing of the run waits (not admitted yet, all dispatched, or ended).
     */
    public record RunStanding(Integer precedingInOrganization, Integer precedingOnPlatform) {
        public static final RunStanding NONE = new RunStanding(null, null);
    }

    /**
     * An item's place in its organization's and in the platform's line, 1 being the next to be dispatched; both null
     * once it has been dispatched (or has ended).
     */
    public record ItemStanding(Integer inOrganization, Integer onPlatform) {
        public static final ItemStanding NONE = new ItemStanding(null, null);
    }

    @Inject
    DispatchQueue queue;

    @Inject
    Clock clock;

    /** The standing of each run that has items waiting; the others are absent from the map. */
    public Map<UUID, RunStanding> ofRuns(Connection c, Collection<RunRow> runs) throws SQLException {
        List<UUID> open = runs.stream()
                .filter(run -> (run.state == RunState.SCHEDULED || run.state == RunState.RUNNING)
                        && run.counts().pending() > 0)
                .map(run -> run.runId)
                .toList();
        Map<UUID, RunStanding> standings = new HashMap<>();
        if (open.isEmpty()) {
            return standings;
        }
        // Places come in platform order, so a run's first one is its next item: everything before it is another run's.
        for (DispatchQueue.Place place : queue.placesOf(c, clock.instant(), open)) {
            standings.putIfAbsent(
                    place.runId(), new RunStanding(place.orgPosition() - 1, place.platformPosition() - 1));
        }
        return standings;
    }

    /** The standing of each of a run's items that is waiting; the others are absent from the map. */
    public Map<UUID, ItemStanding> ofItems(Connection c, RunRow run, Collection<ItemRow> items) throws SQLException {
        Map<UUID, ItemStanding> standings = new HashMap<>();
        if (items.stream().noneMatch(item -> item.state == ItemState.PENDING)
                || !(run.state == RunState.SCHEDULED || run.state == RunState.RUNNING)) {
            return standings;
        }
        for (DispatchQueue.Place place : queue.placesOf(c, clock.instant(), List.of(run.runId))) {
            standings.put(place.itemId(), new ItemStanding(place.orgPosition(), place.platformPosition()));
        }
        return standings;
    }
}
