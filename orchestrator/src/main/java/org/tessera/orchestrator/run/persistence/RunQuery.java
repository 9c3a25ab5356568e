package org.tessera.orchestrator.run.persistence;

import java.util.List;
import org.tessera.orchestrator.common.api.Page;
import org.tessera.orchestrator.common.api.SortOrder;

/**
 * Filters of {@code GET /v1/runs}; null means "no filter". Always scoped to one submitter.
 *
 * @param customMetadataPath a PostgreSQL SQL/JSON path the run's custom metadata must match
 */
public record RunQuery(
        String submittedBy,
        String applicationId,
        String applicationVersion,
        String externalId,
        String customMetadataPath,
        List<SortOrder> sort,
        Page page) {

    public RunQuery {
        sort = List.copyOf(sort);
    }
}
