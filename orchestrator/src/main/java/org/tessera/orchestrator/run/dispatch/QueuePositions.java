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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import org.tessera.contracts.RunState;
import org.tessera.orchestrator.common.persistence.Transactions;
import org.tessera.orchestrator.item.domain.ItemState;
import org.tessera.orchestrator.item.persistence.ItemRow;
import org.tessera.orchestrator.run.domain.WaitingLine;
import org.tessera.orchestrator.run.persistence.RunRow;

/**
 * Where runs and items stand in the dispatch queue, for the API. Only runs and items that can be waiting are looked
 * up, so reading a finished run costs nothing extra. The waiting line itself (two queries over every open run, see
 * {@link DispatchQueue}) is computed at most once per {@code tessera.scheduler.queue-positions-max-age} and shared by
 * all the clients polling their runs. Once it is older than that, the next read starts a recomputation in the
 * background and still answers from the line it has, so no client waits for the queries while others poll; only a
 * line more than {@link #STALE_FACTOR} times that age old (after a quiet spell) is recomputed in the reader's own
 * connection, one reader computing while the others wait. Positions are thus about that age old, never much older.
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

    @Inject
    DataSource dataSource;

    /** A line up to this many times the configured age old is still answered while a fresh one is computed. */
    static final int STALE_FACTOR = 3;

    private static final Logger LOG = Logger.getLogger(QueuePositions.class);

    private record Snapshot(WaitingLine line, long takenAtNanos) {}

    private final AtomicReference<Snapshot> recent = new AtomicReference<>();
    private final ReentrantLock computing = new ReentrantLock();
    private final AtomicBoolean refreshing = new AtomicBoolean();

    /** The monotonic clock the line's age is measured with (a test sets its own). */
    LongSupplier nanoTime = System::nanoTime;

    /** The line as it stood about the configured age ago; see the class comment. */
    WaitingLine line(Connection c) throws SQLException {
        long maxAge = settings.queuePositionsMaxAge().toNanos();
        Snapshot snapshot = recent.get();
        if (snapshot != null) {
            long age = nanoTime.getAsLong() - snapshot.takenAtNanos();
            if (age < maxAge) {
                return snapshot.line();
            }
            if (age < maxAge * STALE_FACTOR) {
                refreshInBackground();
                return snapshot.line();
            }
        }
        computing.lock();
        try {
            snapshot = recent.get();
            if (snapshot != null && nanoTime.getAsLong() - snapshot.takenAtNanos() < maxAge) {
                return snapshot.line();
            }
            long takenAt = nanoTime.getAsLong();
            WaitingLine line = queue.line(c, clock.instant());
            recent.set(new Snapshot(line, takenAt));
            return line;
        } finally {
            computing.unlock();
        }
    }

    /** Starts one recomputation of the line on a thread of its own, unless one is under way. */
    private void refreshInBackground() {
        if (!refreshing.compareAndSet(false, true)) {
            return;
        }
        Thread.ofVirtual().name("queue-positions").start(() -> {
            try {
                computing.lock();
                try {
                    long takenAt = nanoTime.getAsLong();
                    recent.set(new Snapshot(computeInOwnTransaction(), takenAt));
                } finally {
                    computing.unlock();
                }
            } catch (RuntimeException e) {
                // The next read past the age tries again; until then the positions stay as they were.
                LOG.warnf(e, "could not recompute the waiting line for queue positions");
            } finally {
                refreshing.set(false);
            }
        });
    }

    /** The line, read in a transaction and connection of its own (the background recomputation's). */
    WaitingLine computeInOwnTransaction() {
        return Transactions.inNew(dataSource, c -> queue.line(c, clock.instant()));
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
