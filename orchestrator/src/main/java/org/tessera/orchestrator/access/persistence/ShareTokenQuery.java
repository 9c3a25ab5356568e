package org.tessera.orchestrator.access.persistence;

import java.util.List;
import java.util.UUID;
import org.tessera.orchestrator.common.api.Page;
import org.tessera.orchestrator.common.api.SortOrder;

/**
 * Filters of {@code GET /v1/access/share-tokens}; null means "no filter".
 *
 * @param visibleTo the creator whose tokens may be listed; null lists every creator's (super-admins)
 * @param runId tokens holding an active grant on this run
 */
public record ShareTokenQuery(
        String visibleTo, UUID runId, String createdBy, Boolean revoked, List<SortOrder> sort, Page page) {

    public ShareTokenQuery {
        sort = List.copyOf(sort);
    }
}
