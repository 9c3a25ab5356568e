package org.tessera.orchestrator.billing.persistence;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code ledger_entry}: what one succeeded item was charged. Never changed once written. */
public record LedgerEntryRow(
        UUID entryId,
        UUID itemId,
        UUID runId,
        String organizationId,
        String userId,
        String applicationId,
        String versionNumber,
        int wsis,
        long pricePerWsiMicros,
        long amountMicros,
        String currency,
        Instant chargedAt) {}
