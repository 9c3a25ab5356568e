package org.tessera.loadtests.fleet;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/** What the simulated workers did, counted as they did it: jobs taken per item, events sent by type. */
public final class FleetTally {

    private final Map<UUID, Integer> jobsPerItem = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> eventsSent = new ConcurrentHashMap<>();
    private final Map<UUID, Instant> terminalSentAt = new ConcurrentHashMap<>();
    private final Set<UUID> succeeded = ConcurrentHashMap.newKeySet();
    private final Set<UUID> failed = ConcurrentHashMap.newKeySet();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

    void jobReceived(UUID item, int attempt) {
        jobsPerItem.merge(item, 1, Integer::sum);
    }

    void eventSent(String type) {
        eventsSent.computeIfAbsent(type, t -> new LongAdder()).increment();
    }

    void terminalSent(UUID item, boolean success, Instant at) {
        (success ? succeeded : failed).add(item);
        terminalSentAt.put(item, at);
    }

    void failure(String worker, RuntimeException e) {
        failure.compareAndSet(null, new IllegalStateException("simulated worker " + worker + " failed: " + e, e));
    }

    /** Distinct items that got at least one job. */
    public int itemsWorked() {
        return jobsPerItem.size();
    }

    /** Jobs taken beyond one per item (redeliveries after a rebalance, re-dispatches). */
    public int repeatedJobs() {
        return jobsPerItem.values().stream().mapToInt(n -> n - 1).sum();
    }

    /** Distinct items the workers reported as succeeded. */
    public int succeeded() {
        return succeeded.size();
    }

    /** Distinct items the workers reported as failed. */
    public int failed() {
        return failed.size();
    }

    public Map<String, Long> eventsSent() {
        Map<String, Long> sent = new TreeMap<>();
        eventsSent.forEach((type, count) -> sent.put(type, count.sum()));
        return sent;
    }

    /** When the worker published the item's (last) terminal event, or null if it has none. */
    public Instant terminalSentAt(UUID item) {
        return terminalSentAt.get(item);
    }

    /** Throws what made a simulated worker stop, if one did. */
    public void rethrow() {
        RuntimeException e = failure.get();
        if (e != null) {
            throw e;
        }
    }
}
