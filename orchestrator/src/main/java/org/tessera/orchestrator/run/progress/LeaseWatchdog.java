package org.tessera.orchestrator.run.progress;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.tessera.orchestrator.common.persistence.Transactions;
import org.tessera.orchestrator.item.domain.ItemSignal;
import org.tessera.orchestrator.item.domain.ItemState;
import org.tessera.orchestrator.item.persistence.ItemRepository;
import org.tessera.orchestrator.item.persistence.ItemRow;
import org.tessera.orchestrator.outbox.Outbox;
import org.tessera.orchestrator.outbox.OutboxMessage;
import org.tessera.orchestrator.run.persistence.RunRow;

/**
 * Finds items whose worker has gone silent (PROCESSING, no event for longer than the lease) or is stuck (heartbeats
 * keep coming but stage, tiles and downloaded bytes have not moved for longer than the stall timeout) and puts them
 * back in the dispatch queue under the next attempt number, or ends them as SYSTEM_ERROR once the attempts are used
 * up (SYSTEM_WORKER_LOST, SYSTEM_ITEM_STALLED). Without this, a worker that dies mid-slide, or one stuck in a
 * download or a computation its own deadlines do not catch, would leave its run open forever. Pending items are left
 * alone: they are waiting for dispatch, or their job is on Kafka. A re-queued attempt supersedes the stuck one,
 * whose later events are dropped as stale. A process judges no
 * lease before it has been watching for one lease timeout, so a restarted orchestrator first applies the heartbeats
 * that arrived while it was down.
 */
@ApplicationScoped
public class LeaseWatchdog {

    private static final Logger LOG = Logger.getLogger(LeaseWatchdog.class);

    private static final int ITEMS_PER_ROUND = 500;

    @Inject
    DataSource dataSource;

    @Inject
    ItemRepository items;

    @Inject
    ItemTransitions itemTransitions;

    @Inject
    Outbox outbox;

    @Inject
    Clock clock;

    @ConfigProperty(name = "tessera.orchestrator.item-lease-timeout", defaultValue = "PT5M")
    Duration leaseTimeout;

    @ConfigProperty(name = "tessera.orchestrator.max-attempts", defaultValue = "3")
    int maxAttempts;

    @ConfigProperty(name = "tessera.orchestrator.item-stall-timeout", defaultValue = "PT30M")
    Duration stallTimeout;

    /** When this process's first scheduled round ran. */
    private final AtomicReference<Instant> watchingSince = new AtomicReference<>();

    @Scheduled(
            identity = "lease-watchdog",
            every = "${tessera.orchestrator.lease-check-interval:PT30S}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void check() {
        Instant now = clock.instant();
        watchingSince.compareAndSet(null, now);
        if (now.isBefore(watchingSince.get().plus(leaseTimeout))) {
            // Just started (or restarted after a crash): the heartbeats that live workers sent while this process was
            // down are still on Kafka, not yet applied. Judging leases now would hand out items that are being worked
            // on; after one lease every live worker has been heard from.
            return;
        }
        try {
            int expired = expireSilentItems();
            if (expired > 0) {
                LOG.infof("lease watchdog re-queued or failed %d silent item(s)", expired);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("lease watchdog round failed; next round retries", e);
        }
    }

    /** One round; returns how many items it acted on. */
    public int expireSilentItems() throws SQLException {
        Instant now = clock.instant();
        Instant cutoff = now.minus(leaseTimeout);
        Instant stallCutoff = now.minus(stallTimeout);
        Map<UUID, List<UUID>> silentByRun = new LinkedHashMap<>();
        Map<UUID, List<UUID>> stalledByRun = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection()) {
            for (ItemRow item : items.silent(c, cutoff, ITEMS_PER_ROUND)) {
                silentByRun.computeIfAbsent(item.runId, k -> new ArrayList<>()).add(item.itemId);
            }
            for (ItemRow item : items.stalled(c, stallCutoff, ITEMS_PER_ROUND)) {
                stalledByRun.computeIfAbsent(item.runId, k -> new ArrayList<>()).add(item.itemId);
            }
        }
        int acted = 0;
        for (Map.Entry<UUID, List<UUID>> entry : silentByRun.entrySet()) {
            acted += Transactions.inNew(
                    dataSource,
                    c -> expire(
                            c,
                            entry.getKey(),
                            entry.getValue(),
                            item -> item.lastEventAt != null && item.lastEventAt.isBefore(cutoff),
                            new ItemSignal.LeaseExpired(maxAttempts)));
        }
        for (Map.Entry<UUID, List<UUID>> entry : stalledByRun.entrySet()) {
            acted += Transactions.inNew(
                    dataSource,
                    c -> expire(
                            c,
                            entry.getKey(),
                            entry.getValue(),
                            item -> item.progressedAt != null && item.progressedAt.isBefore(stallCutoff),
                            new ItemSignal.LeaseExpired(maxAttempts, true)));
        }
        return acted;
    }

    private int expire(
            Connection c,
            UUID runId,
            List<UUID> itemIds,
            java.util.function.Predicate<ItemRow> stillExpired,
            ItemSignal.LeaseExpired signal)
            throws SQLException {
        LockedItems locked = itemTransitions.lock(c, List.of(runId), itemIds);
        RunRow run = locked.run(runId);
        if (run == null) {
            return 0;
        }
        Instant now = clock.instant();
        List<OutboxMessage> messages = new ArrayList<>();
        int changed = 0;
        for (ItemRow item : locked.items()) {
            // Re-check under the lock: the worker may have spoken (or progressed) since the candidates were read.
            if (item.state != ItemState.PROCESSING || !stillExpired.test(item)) {
                continue;
            }
            var decision = itemTransitions.apply(c, locked, run, item, signal, now, messages);
            if (!decision.isIgnored()) {
                changed++;
            }
        }
        if (changed == 0) {
            return 0;
        }
        itemTransitions.store(c, locked);
        outbox.appendAll(c, messages);
        return changed;
    }
}
