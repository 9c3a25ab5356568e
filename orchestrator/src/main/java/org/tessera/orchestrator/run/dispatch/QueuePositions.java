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
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.tessera.contracts.RunState;
import org.tessera.orchestrator.item.domain.ItemState;
import org.tessera.orchestrator.item.persistence.ItemRow;
import org.tessera.orchestrator.run.domain.WaitingLine;
import org.tessera.orchestrator.run.persistence.RunRow;

/**
 * Where runs and items stand in the dispatch queue, for the API. Only runs and items that can be waiting are looked
 * up, so reading a finished run costs nothing extra. The waiting line itself (two queries over every open run, see
 * {@link DispatchQueue}) is computed at most once per {@code tessera.scheduler.queue-positions-max-age}: many clients
 * polling their runs share it, one of them computing it while the others wait, and the positions they read are at
 * most that old.
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

    @Inject
    DispatchSettings settings;

    private record Snapshot(WaitingLine line, long takenAtNanos) {}

    private final AtomicReference<Snapshot> recent = new AtomicReference<>();
    private final ReentrantLock computing = new ReentrantLock();

    /** The line as it stood at most the configured age ago; computed in the caller's connection when older. */
    private WaitingLine line(Connection c) throws SQLException {
        long maxAge = settings.queuePositionsMaxAge().toNanos();
        Snapshot snapshot = recent.get();
        if (snapshot != null && System.nanoTime() - snapshot.takenAtNanos() < maxAge) {
            return snapshot.line();
        }
        computing.lock();
        try {
            snapshot = recent.get();
            if (snapshot != null && System.nanoTime() - snapshot.takenAtNanos() < maxAge) {
                return snapshot.line();
            }
            long takenAt = System.nanoTime();
            WaitingLine line = queue.line(c, clock.instant());
            recent.set(new Snapshot(line, takenAt));
            return line;
        } finally {
            computing.unlock();
        }
    }

    /** The standing of each run that has items waiting; the others are absent from the map. */
    public Map<UUID, RunStanding> ofRuns(Connection c, Collection<RunRow> runs) throws SQLException {
        Map<UUID, RunStanding> standings = new HashMap<>();
        List<RunRow> open = runs.stream().filter(QueuePositions::mayWait).toList();
        if (open.isEmpty()) {
            return standings;
        }
        WaitingLine line = line(c);
        for (RunRow run : open) {
            line.standing(run.runId)
                    .ifPresent(standing -> standings.put(
                            run.runId,
                            new RunStanding(standing.precedingInOrganization(), standing.precedingOnPlatform())));
        }
        return standings;
    }

    /** The standing of each of a run's items that is waiting; the others are absent from the map. */
    public Map<UUID, ItemStanding> ofItems(Connection c, RunRow run, Collection<ItemRow> items) throws SQLException {
        Map<UUID, ItemStanding> standings = new HashMap<>();
        if (!mayWait(run) || items.stream().noneMatch(item -> item.state == ItemState.PENDING)) {
            return standings;
        }
        Set<UUID> asked = items.stream().map(item -> item.itemId).collect(Collectors.toSet());
        WaitingLine line = line(c);
        List<UUID> waiting = queue.waitingItems(c, run.runId, run.counts().itemCount());
        for (int n = 0; n < waiting.size(); n++) {
            UUID itemId = waiting.get(n);
            if (asked.contains(itemId)) {
                line.place(run.runId, n + 1)
                        .ifPresent(place ->
                                standings.put(itemId, new ItemStanding(place.inOrganization(), place.onPlatform())));
            }
        }
        return standings;
    }

    private static boolean mayWait(RunRow run) {
        return (run.state == RunState.SCHEDULED || run.state == RunState.RUNNING)
                && run.counts().pending() > 0;
    }
}
