package org.tessera.orchestrator.run.api;

import jakarta.ws.rs.QueryParam;
import java.util.List;
import org.tessera.orchestrator.common.api.Page;
import org.tessera.orchestrator.common.api.QueryParams;
import org.tessera.orchestrator.common.api.SortOrder;
import org.tessera.orchestrator.common.persistence.SortFields;

/** The query parameters the run list and the item list share: custom-metadata filter, paging and sort. */
public class ListParams {

    @QueryParam("custom_metadata")
    String customMetadata;

    @QueryParam("page")
    String pageNumber;

    @QueryParam("page_size")
    String pageSize;

    @QueryParam("sort")
    List<String> sortValues;

    Page page() {
        return QueryParams.page(pageNumber, "page_size", pageSize);
    }

    String customMetadataPath() {
        return QueryParams.jsonPath("custom_metadata", customMetadata);
    }

    List<SortOrder> sort(SortFields fields) {
        return QueryParams.sort(sortValues, fields.names());
    }
}
