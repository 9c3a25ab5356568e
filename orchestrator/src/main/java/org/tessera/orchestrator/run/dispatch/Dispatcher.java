package org.tessera.orchestrator.run.dispatch;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import org.tessera.contracts.RunState;
import org.tessera.contracts.tracing.TraceAttributes;
import org.tessera.orchestrator.application.ApplicationCatalogue;
import org.tessera.orchestrator.common.AfterCommit;
import org.tessera.orchestrator.common.persistence.AdvisoryLocks;
import org.tessera.orchestrator.common.persistence.Transactions;
import org.tessera.orchestrator.common.tracing.TraceContext;
import org.tessera.orchestrator.item.persistence.ItemRepository;
import org.tessera.orchestrator.item.persistence.ItemRow;
import org.tessera.orchestrator.outbox.Outbox;
import org.tessera.orchestrator.outbox.OutboxMessage;
import org.tessera.orchestrator.run.RunMessages;
import org.tessera.orchestrator.run.domain.WaitingLine;
import org.tessera.orchestrator.run.persistence.RunRepository;
import org.tessera.orchestrator.run.persistence.RunRow;

/**
 * Puts slide jobs on Kafka (through the outbox) only as workers can take them: at most
 * {@code tessera.scheduler.max-in-flight} items are dispatched and not yet finished, and each free place goes to the
 * head of the {@link WaitingLine}, which shares places fairly across organizations. Without it, admission put a
 * whole run's jobs on the topic at once and one organization's 500 slides held up every other organization's first.
 *
 * <p>A round runs when a commit in this process may have freed a place or queued an item (item terminal events,
 * cancellations, admissions, lease re-queues: {@link #wakeAfterCommit}), and on a timer for what other replicas
 * committed. Replicas take turns through a transaction-scoped advisory lock, so the in-flight count a round reads
 * cannot be raced by another round; and an item is marked with the attempt it was dispatched for in the same
 * transaction as its job is written, so no attempt is ever dispatched twice.
 *
 * <p>Each job is written under a dispatch span whose parent is the span that submitted its run (kept with the run), so
 * every slide's work joins the trace of its submission; a run submitted without a trace starts one per slide here.
 */
@ApplicationScoped
public class Dispatcher {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class);

    /** Most items one round dispatches, so that a large max-in-flight never makes one huge transaction. */
    static final int ITEMS_PER_ROUND = 500;

    private static final Object WAKE = new Object();

    @Inject
    DataSource dataSource;

    @Inject
    DispatchQueue queue;

    @Inject
    RunRepository runs;

    @Inject
    ItemRepository items;

    @Inject
    Outbox outbox;

    @Inject
    AfterCommit afterCommit;

    @Inject
    DispatchSettings settings;

    @Inject
    MeterRegistry metrics;

    @Inject
    ApplicationCatalogue catalogue;

    @Inject
    Clock clock;

    @Inject
    Tracer tracer;

    private final Semaphore wakeups = new Semaphore(0);
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean running;
    private Thread thread;

    void start(@Observes StartupEvent event) {
        if (settings.maxInFlight() < 1) {
            throw new IllegalArgumentException(
                    "tessera.scheduler.max-in-flight must be >= 1, was " + settings.maxInFlight());
        }
        metrics.gauge("tessera.items.in.flight", inFlight);
        if (!settings.enabled()) {
            LOG.info("dispatcher disabled (tessera.scheduler.enabled=false)");
            return;
        }
        running = true;
        thread = Thread.ofPlatform().name("dispatcher").daemon().start(this::loop);
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (thread != null) {
            wakeups.release();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Asks for a round now. */
    public void wake() {
        if (wakeups.availablePermits() == 0) {
            wakeups.release();
        }
    }

    /** Asks for a round once the current transaction has committed (once per transaction, however often called). */
    public void wakeAfterCommit() {
        afterCommit.runOnce(WAKE, this::wake);
    }

    /** One round in a transaction of its own; returns how many items it dispatched. */
    public int dispatch() {
        return Transactions.inNew(dataSource, this::dispatch);
    }

    private int dispatch(Connection c) throws SQLException {
        AdvisoryLocks.DISPATCH.lock(c);
        Instant now = clock.instant();
        DispatchQueue.InFlightItems flying = queue.inFlightItems(c);
        inFlight.set(flying.total());
        int free = Math.min(settings.maxInFlight() - flying.total(), ITEMS_PER_ROUND);
        if (free <= 0) {
            // Every place is taken. The line is not read: it grows with the backlog, and every admission and item
            // event asks for a round. The round after a place frees up reads it.
            return 0;
        }
        WaitingLine line = queue.line(c, now, flying);
        if (line.waiting() == 0) {
            return 0;
        }
        List<UUID> picks = line.next(free);
        Map<UUID, Integer> placesPerRun = new LinkedHashMap<>();
        picks.forEach(runId -> placesPerRun.merge(runId, 1, Integer::sum));
        // Runs first, in id order, as every writer locks them: a cancel cannot skip an item while its job is written.
        Map<UUID, RunRow> locked = runs.lockAll(c, placesPerRun.keySet());
        Map<UUID, Deque<UUID>> itemsPerRun = new HashMap<>();
        for (Map.Entry<UUID, Integer> entry : placesPerRun.entrySet()) {
            RunRow run = locked.get(entry.getKey());
            if (run != null && isOpen(run, now)) {
                itemsPerRun.put(
                        entry.getKey(), new ArrayDeque<>(queue.waitingItems(c, entry.getKey(), entry.getValue())));
            }
        }
        // The line's order: each place's item is the next waiting one of the run that place went to.
        List<UUID> candidates = new ArrayList<>(picks.size());
        for (UUID runId : picks) {
            Deque<UUID> waiting = itemsPerRun.get(runId);
            if (waiting != null && !waiting.isEmpty()) {
                candidates.add(waiting.removeFirst());
            }
        }
        Set<UUID> marked = items.markDispatched(c, candidates);
        Map<UUID, ItemRow> dispatched = items.lockAll(c, marked);
        List<OutboxMessage> jobs = new ArrayList<>(marked.size());
        Map<UUID, TraceContext> traces = runs.traceContexts(c, itemsPerRun.keySet());
        for (UUID itemId : candidates) {
            ItemRow item = dispatched.get(itemId);
            if (item != null) {
                RunRow run = locked.get(item.runId);
                Span span = dispatchSpan(traces.getOrDefault(item.runId, TraceContext.NONE), item);
                jobs.add(RunMessages.slideJob(
                                run,
                                item,
                                item.attempt,
                                now,
                                catalogue
                                        .manifest(run.applicationId, run.versionNumber)
                                        .orElse(null))
                        .withTrace(TraceContext.of(Context.root().with(span))));
                span.end();
            }
        }
        outbox.appendAll(c, jobs);
        int count = jobs.size();
        inFlight.set(line.inFlight() + count);
        afterCommit.run(() -> metrics.counter("tessera.items.dispatched").increment(count));
        return count;
    }

    private Span dispatchSpan(TraceContext runTrace, ItemRow item) {
        return tracer.spanBuilder("dispatch slide job")
                .setParent(runTrace.asParent())
                .setAttribute(TraceAttributes.RUN_ID, item.runId.toString())
                .setAttribute(TraceAttributes.ITEM_ID, item.itemId.toString())
                .setAttribute(TraceAttributes.ATTEMPT, (long) item.attempt)
                .startSpan();
    }

    private static boolean isOpen(RunRow run, Instant now) {
        return (run.state == RunState.SCHEDULED || run.state == RunState.RUNNING)
                && (run.deadline == null || run.deadline.isAfter(now));
    }

    private void loop() {
        int failures = 0;
        while (running) {
            int dispatched = 0;
            try {
                dispatched = dispatch();
                failures = 0;
            } catch (RuntimeException e) {
                failures++;
                LOG.warnf(e, "dispatch round failed (attempt %d); will retry", failures);
            }
            if (!running) {
                break;
            }
            if (failures > 0) {
                awaitWakeup(backoff(failures));
            } else if (dispatched < ITEMS_PER_ROUND) {
                awaitWakeup(settings.pollInterval());
            }
        }
    }

    private void awaitWakeup(Duration timeout) {
        try {
            if (wakeups.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                wakeups.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private Duration backoff(int failures) {
        return Duration.ofMillis(Math.min(5_000, settings.pollInterval().toMillis() * (1L << Math.min(failures, 6))));
    }
}
