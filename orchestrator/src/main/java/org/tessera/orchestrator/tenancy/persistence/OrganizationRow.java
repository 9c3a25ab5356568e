package org.tessera.orchestrator.tenancy.persistence;

import java.time.Instant;
import java.util.List;

/** A row of {@code organization} with its domains. Limits that are null are unlimited. */
public record OrganizationRow(
        String organizationId,
        String name,
        String displayName,
        boolean requireMfa,
        String bucketName,
        String bucketProtocol,
        String bucketHmacAccessKeyId,
        String bucketHmacSecretAccessKey,
        Integer maxUsers,
        Integer monthlyWsiLimit,
        Integer maxWsisPerRun,
        Integer maxParallelRuns,
        List<String> domains,
        Instant createdAt,
        Instant updatedAt) {

    public OrganizationRow {
        domains = List.copyOf(domains);
    }
}
