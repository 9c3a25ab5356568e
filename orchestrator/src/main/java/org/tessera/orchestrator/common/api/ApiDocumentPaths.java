package org.tessera.orchestrator.common.api;

import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.Paths;

/**
 * Puts the scanned admin operations beside the API 1.8.0 document's: that document's paths are relative to its
 * server {@code /api} ({@code /v1/runs}), so {@code /api/admin/v1/...} becomes {@code /admin/v1/...}. Any other
 * scanned {@code /api/...} path would duplicate a v1 operation the 1.8.0 document already describes, and is dropped.
 */
public class ApiDocumentPaths implements OASFilter {

    private static final String API_ROOT = "/api";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Paths paths = openAPI.getPaths();
        if (paths == null || paths.getPathItems() == null) {
            return;
        }
        Map<String, PathItem> items = new LinkedHashMap<>();
        paths.getPathItems().forEach((path, item) -> {
            if (!path.startsWith(API_ROOT + "/")) {
                items.put(path, item);
            } else if (path.startsWith(API_ROOT + "/admin/")) {
                items.put(path.substring(API_ROOT.length()), item);
            }
        });
        paths.setPathItems(items);
    }
}
