package org.tessera.orchestrator.item.persistence;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.tessera.orchestrator.common.api.Page;
import org.tessera.orchestrator.common.api.SortOrder;
import org.tessera.orchestrator.item.domain.ItemState;

/**
 * Filters of {@code GET /v1/runs/{id}/items}; null means "no filter", and so does an empty list of external or item
 * ids.
 *
 * @param states lifecycle states the item may be in (the API's state and termination reason both map onto these);
 *     an empty set matches no item
 */
public record ItemQuery(
        UUID runId,
        Set<ItemState> states,
        List<String> externalIds,
        List<UUID> itemIds,
        String customMetadataPath,
        List<SortOrder> sort,
        Page page) {

    public ItemQuery {
        states = states == null ? null : Set.copyOf(states);
        externalIds = externalIds == null || externalIds.isEmpty() ? null : List.copyOf(externalIds);
        itemIds = itemIds == null || itemIds.isEmpty() ? null : List.copyOf(itemIds);
        sort = List.copyOf(sort);
    }
}
