package org.tessera.orchestrator.quota.persistence;

import java.time.Instant;
import java.time.YearMonth;
import java.util.UUID;

/** A row of {@code wsi_reservation}: what one accepted run counts against its month's quotas. */
public record WsiReservation(
        UUID runId,
        String organizationId,
        String userId,
        YearMonth month,
        int reservedWsis,
        int returnedWsis,
        Instant reservedAt,
        Instant returnedAt) {

    /** What the run still counts. */
    public int countedWsis() {
        return reservedWsis - returnedWsis;
    }
}
