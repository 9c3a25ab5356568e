package org.tessera.orchestrator.billing.persistence;

import java.time.Instant;

/** A row of {@code application_version_price}: a price per WSI a super-admin set, in millionths of the currency. */
public record PriceRow(
        String applicationId, String versionNumber, long pricePerWsiMicros, Instant updatedAt, String updatedBy) {}
