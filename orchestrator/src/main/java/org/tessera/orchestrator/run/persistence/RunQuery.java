package org.tessera.orchestrator.run.persistence;

import java.util.List;
import org.tessera.orchestrator.common.api.Page;
import org.tessera.orchestrator.common.api.SortOrder;
import org.tessera.orchestrator.common.persistence.SqlCondition;

/**
 * Filters of {@code GET /v1/runs}; null means "no filter". Always within a scope: the runs the caller may list.
 *
 * @param scope a condition over the {@code run} table (see {@code RunVisibility.listScope})
 * @param customMetadataPath a PostgreSQL SQL/JSON path the run's custom metadata must match
 */
public record RunQuery(
        SqlCondition scope,
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
