package org.tessera.orchestrator.access.persistence;

import java.util.List;
import java.util.UUID;
import org.tessera.orchestrator.access.domain.GrantRelation;
import org.tessera.orchestrator.access.domain.ResourceType;
import org.tessera.orchestrator.access.domain.SubjectType;
import org.tessera.orchestrator.common.api.Page;
import org.tessera.orchestrator.common.api.SortOrder;
import org.tessera.orchestrator.common.persistence.SqlCondition;

/**
 * Filters of {@code GET /v1/access/grants}; null means "no filter".
 *
 * @param scope the grants the caller may list
 */
public record GrantQuery(
        SqlCondition scope,
        ResourceType resourceType,
        UUID resourceId,
        SubjectType subjectType,
        String subjectId,
        List<GrantRelation> relations,
        Boolean revoked,
        List<SortOrder> sort,
        Page page) {

    public GrantQuery {
        relations = relations == null ? null : List.copyOf(relations);
        sort = List.copyOf(sort);
    }
}
