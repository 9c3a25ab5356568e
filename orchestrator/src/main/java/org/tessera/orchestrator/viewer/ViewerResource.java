package org.tessera.orchestrator.viewer;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.tessera.orchestrator.artifact.persistence.OutputArtifactRepository;
import org.tessera.orchestrator.artifact.persistence.OutputArtifactRow;
import org.tessera.orchestrator.common.api.QueryParams;
import org.tessera.orchestrator.item.persistence.ItemRepository;
import org.tessera.orchestrator.item.persistence.ItemRow;
import org.tessera.orchestrator.run.RunVisibility;
import org.tessera.orchestrator.tenancy.Directory;
import org.tessera.viewer.ViewerException;
import org.tessera.viewer.ViewerResponse;
import org.tessera.viewer.ViewerSession;

/**
 * The slide viewer's API for an item of a run (the page is {@code /viewer/?run=&item=}): {@code info}, {@code
 * tiles/{level}/{col}/{row}.jpg}, {@code maps/{output}.png|json}, {@code features/{output}.json?bbox=}. Authorised on
 * every request exactly as reading the run is (owner, organization admins, grants, {@code share_token}): a run the
 * caller may not read is not found. The slide is read from the customer's storage through the item's signed URL.
 */
@Path("/api/viewer/v1/runs/{run_id}/items/{item_id}")
public class ViewerResource {

    @Inject
    JsonWebToken token;

    @Inject
    Directory directory;

    @Inject
    RunVisibility visibility;

    @Inject
    ItemRepository items;

    @Inject
    OutputArtifactRepository outputs;

    @Inject
    DataSource dataSource;

    @Inject
    ViewerSessions sessions;

    @GET
    @Path("/{path: .+}")
    public Response get(
            @PathParam("run_id") String runId,
            @PathParam("item_id") String itemId,
            @PathParam("path") String path,
            @QueryParam("share_token") String shareToken,
            @Context UriInfo uri)
            throws SQLException {
        UUID run = QueryParams.uuidPath("run_id", runId);
        ItemRow item;
        List<OutputArtifactRow> itemOutputs;
        try (Connection c = dataSource.getConnection()) {
            visibility.readable(c, run, directory.caller(token), shareToken);
            item = find(c, run, itemId)
                    .orElseThrow(() -> new ViewerException(404, "NOT_FOUND", "run " + run + " has no item " + itemId));
            itemOutputs = outputs.ofItems(c, List.of(item.itemId)).getOrDefault(item.itemId, List.of());
        } catch (ViewerException e) {
            return respond(ViewerResponse.error(e));
        }
        ViewerResponse response;
        try {
            ViewerSession session = sessions.session(item, itemOutputs);
            Map<String, String> query = new HashMap<>();
            uri.getQueryParameters().forEach((k, v) -> query.put(k, v.getFirst()));
            response = session.respond(path, query);
        } catch (ViewerException e) {
            response = ViewerResponse.error(e);
        }
        if (response.status() == 410 || response.status() == 409) {
            sessions.drop(item.itemId);
        }
        return respond(response);
    }

    /** By item id, or by external id for links written by hand. */
    private Optional<ItemRow> find(Connection c, UUID run, String itemId) throws SQLException {
        try {
            return items.findById(c, run, UUID.fromString(itemId));
        } catch (IllegalArgumentException e) {
            return items.find(c, run, itemId);
        }
    }

    private static Response respond(ViewerResponse response) {
        return Response.status(response.status())
                .type(response.contentType())
                .header("Cache-Control", response.cacheable() ? "private, max-age=3600" : "no-store")
                .entity(response.body())
                .build();
    }
}
