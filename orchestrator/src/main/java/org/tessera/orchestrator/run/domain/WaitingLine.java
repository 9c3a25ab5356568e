package org.tessera.orchestrator.run.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.UUID;

/**
 * The platform's line of items waiting for a worker, and the order the dispatcher serves it in. It works on runs,
 * not items: a run's waiting items are taken in position order, so how many wait per run is all it needs.
 *
 * <p>Within an organization, items go by due date (runs without one after those with one), then submission time, then
 * run, then position: an item's rank there is its place in its organization's line. Across organizations, each free
 * place goes to the organization with the fewest items in flight, which is round-robin once they are level: an item's
 * <em>level</em> is its organization's items in flight plus its rank, and the platform's line is ordered by level,
 * then by the same keys as within an organization. {@link #next} hands out places in exactly that order, so the
 * positions {@link #standing} and {@link #place} report are the order in which the dispatcher would serve the line if
 * nothing changed.
 */
public final class WaitingLine {

    /**
     * A run with items waiting for dispatch.
     *
     * @param organizationId null is an organization of its own
     * @param dueDate null: after every run of the organization that has one
     * @param waiting how many of its items wait (PENDING, current attempt not dispatched); at least 1
     */
    public record WaitingRun(UUID runId, String organizationId, Instant dueDate, Instant submittedAt, int waiting) {
        public WaitingRun {
            Objects.requireNonNull(runId, "runId");
            Objects.requireNonNull(submittedAt, "submittedAt");
            if (waiting < 1) {
                throw new IllegalArgumentException("a waiting run has at least one waiting item, got " + waiting);
            }
        }
    }

    /**
     * Where a run stands: how many items of other runs go before its next waiting item, in its organization's line and
     * in the platform's.
     */
    public record Standing(int precedingInOrganization, int precedingOnPlatform) {}

    /** Where a waiting item stands, counting from 1 (= dispatched next). */
    public record Place(int inOrganization, int onPlatform) {}

    /** Orders runs as the line does: due date (none last), submission time, then run id as PostgreSQL orders uuids. */
    static final Comparator<WaitingRun> RUN_ORDER = Comparator.comparing(
                    WaitingRun::dueDate, Comparator.nullsLast(Comparator.<Instant>naturalOrder()))
            .thenComparing(WaitingRun::submittedAt)
            .thenComparing(WaitingRun::runId, WaitingLine::compareUuids);

    /** One organization's line: its waiting runs in order, with the rank of each run's first waiting item. */
    private static final class Queue {
        final String organizationId;
        final int inFlight;
        final List<WaitingRun> runs = new ArrayList<>();
        /** firstRank[i] = rank (from 1) of runs[i]'s first waiting item; one more entry: total + 1. */
        int[] firstRank;

        Queue(String organizationId, int inFlight) {
            this.organizationId = organizationId;
            this.inFlight = inFlight;
        }

        void seal() {
            runs.sort(RUN_ORDER);
            firstRank = new int[runs.size() + 1];
            firstRank[0] = 1;
            for (int i = 0; i < runs.size(); i++) {
                firstRank[i + 1] = firstRank[i] + runs.get(i).waiting();
            }
        }

        int waiting() {
            return firstRank[runs.size()] - 1;
        }

        /** The run holding the item of this rank (1..waiting). */
        WaitingRun runAt(int rank) {
            int low = 0;
            int high = runs.size() - 1;
            while (low < high) {
                int mid = (low + high + 1) >>> 1;
                if (firstRank[mid] <= rank) {
                    low = mid;
                } else {
                    high = mid - 1;
                }
            }
            return runs.get(low);
        }
    }

    private final Map<String, Queue> queues = new HashMap<>();
    private final Map<UUID, WaitingRun> runs = new HashMap<>();
    private final int inFlight;

    /**
     * @param waitingRuns every run with items waiting
     * @param inFlightByOrganization items dispatched and not finished, per organization (absent: none); organizations
     *     without waiting runs still count towards {@link #inFlight()}
     */
    public WaitingLine(Collection<WaitingRun> waitingRuns, Map<String, Integer> inFlightByOrganization) {
        int total = 0;
        for (int count : inFlightByOrganization.values()) {
            total += count;
        }
        this.inFlight = total;
        for (WaitingRun run : waitingRuns) {
            if (runs.put(run.runId(), run) != null) {
                throw new IllegalArgumentException("run " + run.runId() + " listed twice");
            }
            queues.computeIfAbsent(
                            key(run.organizationId()),
                            org -> new Queue(org, inFlightByOrganization.getOrDefault(run.organizationId(), 0)))
                    .runs
                    .add(run);
        }
        queues.values().forEach(Queue::seal);
    }

    /** Items dispatched and not finished, across the platform. */
    public int inFlight() {
        return inFlight;
    }

    /** Items waiting, across the platform. */
    public int waiting() {
        return queues.values().stream().mapToInt(Queue::waiting).sum();
    }

    /**
     * The runs whose next waiting item gets each of the next {@code places} places, in order; a run appears once per
     * item it gets.
     */
    public List<UUID> next(int places) {
        record Head(Queue queue, int rank) {
            WaitingRun run() {
                return queue.runAt(rank);
            }

            int level() {
                return queue.inFlight + rank;
            }
        }
        PriorityQueue<Head> heads =
                new PriorityQueue<>(Comparator.comparingInt(Head::level).thenComparing(Head::run, RUN_ORDER));
        for (Queue queue : queues.values()) {
            heads.add(new Head(queue, 1));
        }
        List<UUID> picks = new ArrayList<>();
        while (picks.size() < places && !heads.isEmpty()) {
            Head head = heads.poll();
            picks.add(head.run().runId());
            if (head.rank() < head.queue().waiting()) {
                heads.add(new Head(head.queue(), head.rank() + 1));
            }
        }
        return picks;
    }

    /** Where the run's next waiting item stands; empty when nothing of the run waits. */
    public Optional<Standing> standing(UUID runId) {
        return place(runId, 1).map(first -> new Standing(first.inOrganization() - 1, first.onPlatform() - 1));
    }

    /** Where the run's {@code n}-th waiting item (from 1, in position order) stands; empty if it has no such item. */
    public Optional<Place> place(UUID runId, int n) {
        WaitingRun run = runs.get(runId);
        if (run == null || n < 1 || n > run.waiting()) {
            return Optional.empty();
        }
        Queue own = queues.get(key(run.organizationId()));
        int rank = own.firstRank[own.runs.indexOf(run)] + n - 1;
        int level = own.inFlight + rank;
        // Every earlier item of its own organization goes first (lower level); of each other organization, those on a
        // lower level, and the one on the same level if its run comes first.
        int ahead = rank - 1;
        for (Queue other : queues.values()) {
            if (other == own) {
                continue;
            }
            ahead += Math.clamp(level - 1 - other.inFlight, 0, other.waiting());
            int sameLevel = level - other.inFlight;
            if (sameLevel >= 1 && sameLevel <= other.waiting() && RUN_ORDER.compare(other.runAt(sameLevel), run) < 0) {
                ahead++;
            }
        }
        return Optional.of(new Place(rank, ahead + 1));
    }

    private static String key(String organizationId) {
        return organizationId == null ? "" : organizationId;
    }

    /** Byte order (PostgreSQL's for uuid), not {@link UUID#compareTo}'s signed one. */
    static int compareUuids(UUID a, UUID b) {
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    }
}
