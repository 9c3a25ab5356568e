package org.tessera.orchestrator.billing;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.tessera.contracts.DerivedIds;
import org.tessera.contracts.Envelope;
import org.tessera.contracts.LedgerEntry;
import org.tessera.contracts.Topics;
import org.tessera.orchestrator.billing.domain.Micros;
import org.tessera.orchestrator.billing.persistence.LedgerEntryRow;
import org.tessera.orchestrator.billing.persistence.LedgerRepository;
import org.tessera.orchestrator.common.AfterCommit;
import org.tessera.orchestrator.outbox.OutboxMessage;

/**
 * The cost ledger (docs/organizations.md, Cost): one entry per succeeded item, at its version's price per WSI,
 * written in the transaction that records the success and published on {@link Topics#LEDGER} through the outbox.
 * The entry id derives from the item id, so an item whose success is reported again (a redelivery, a duplicate, a
 * retried attempt) is charged once.
 */
@ApplicationScoped
public class LedgerService {

    private static final Logger LOG = Logger.getLogger(LedgerService.class);

    /** One item is one whole-slide image. */
    private static final int WSIS_PER_ITEM = 1;

    @Inject
    LedgerRepository ledger;

    @Inject
    Prices prices;

    @Inject
    BillingSettings settings;

    @Inject
    MeterRegistry metrics;

    @Inject
    AfterCommit afterCommit;

    /**
     * Charges a succeeded item, unless it was charged already.
     *
     * @param outbox collects the entry's message, written in the caller's transaction
     */
    public void charge(Connection c, SucceededItem item, Instant at, List<OutboxMessage> outbox) throws SQLException {
        chargeAll(c, List.of(item), at, outbox);
    }

    /**
     * Charges succeeded items, each unless it was charged already: one price look-up per application version and one
     * statement for all the entries, however many items a batch of events brought to success.
     *
     * @param outbox collects the entries' messages, in the items' order, written in the caller's transaction
     */
    public void chargeAll(Connection c, List<SucceededItem> items, Instant at, List<OutboxMessage> outbox)
            throws SQLException {
        if (!settings.ledgerEnabled() || items.isEmpty()) {
            return;
        }
        Map<String, Long> priceOf = new HashMap<>();
        List<LedgerEntryRow> entries = new ArrayList<>(items.size());
        for (SucceededItem item : items) {
            if (item.organizationId() == null) {
                LOG.warnf(
                        "item %s of run %s succeeded but its run names no organization to charge",
                        item.itemId(), item.runId());
                continue;
            }
            String version = item.applicationId() + " " + item.applicationVersion();
            Long price = priceOf.get(version);
            if (price == null) {
                price = prices.of(c, item.applicationId(), item.applicationVersion())
                        .perWsiMicros();
                priceOf.put(version, price);
            }
            entries.add(new LedgerEntryRow(
                    DerivedIds.ledgerEntry(item.itemId()),
                    item.itemId(),
                    item.runId(),
                    item.organizationId(),
                    item.userId(),
                    item.applicationId(),
                    item.applicationVersion(),
                    WSIS_PER_ITEM,
                    price,
                    Micros.times(price, WSIS_PER_ITEM),
                    settings.currency(),
                    at));
        }
        Set<UUID> inserted = ledger.insertAll(c, entries);
        List<LedgerEntryRow> charged =
                entries.stream().filter(e -> inserted.contains(e.entryId())).toList();
        for (LedgerEntryRow entry : charged) {
            outbox.add(message(entry));
        }
        if (charged.isEmpty()) {
            return;
        }
        afterCommit.run(() -> {
            for (LedgerEntryRow entry : charged) {
                metrics.counter("tessera.ledger.entries", "application_id", entry.applicationId())
                        .increment();
                metrics.counter("tessera.ledger.amount.micros", "currency", entry.currency())
                        .increment(entry.amountMicros());
            }
        });
    }

    /** The entry as published: keyed by organization, its event id the entry id. */
    public static OutboxMessage message(LedgerEntryRow entry) {
        LedgerEntry payload = new LedgerEntry(
                entry.entryId(),
                entry.organizationId(),
                entry.userId(),
                entry.applicationId(),
                entry.versionNumber(),
                entry.wsis(),
                entry.pricePerWsiMicros(),
                entry.amountMicros(),
                entry.currency());
        UUID entryId = entry.entryId();
        Envelope<LedgerEntry> envelope =
                Envelope.of(entryId, entry.chargedAt(), entry.runId(), entry.itemId(), payload);
        return OutboxMessage.of(Topics.LEDGER, entry.organizationId(), envelope);
    }
}
