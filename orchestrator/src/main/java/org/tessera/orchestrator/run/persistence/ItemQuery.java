package org.tessera.orchestrator.run.persistence;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.tessera.orchestrator.item.domain.ItemState;

/**
 * Filters of {@code GET /v1/runs/{id}/items}; null or empty means "no filter".
 *
 * @param states lifecycle states the item may be in (the API's state and termination reason both map onto these)
 */
public record ItemQuery(
        UUID runId,
        Set<ItemState> states,
        List<String> externalIds,
        List<UUID> itemIds,
        String customMetadataPath,
        List<SortOrder> sort,
        int page,
        int pageSize) {

    public ItemQuery {
        states = states == null ? null : Set.copyOf(states);
        externalIds = externalIds == null ? null : List.copyOf(externalIds);
        itemIds = itemIds == null ? null : List.copyOf(itemIds);
        sort = List.copyOf(sort);
    }
}
