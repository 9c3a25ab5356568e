package org.tessera.orchestrator.common.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.tessera.orchestrator.common.FieldError;

/** Turns refusals into the API's error bodies. */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response validationFailed(ValidationFailedException e) {
        List<Map<String, Object>> detail =
                e.errors().stream().map(ErrorMappers::render).toList();
        return json(422, Map.of("detail", detail));
    }

    @ServerExceptionMapper
    public Response refused(ApiException e) {
        Response.ResponseBuilder response =
                Response.status(e.status()).type(MediaType.APPLICATION_JSON).entity(e.body());
        if (e.status() == 401) {
            response.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        }
        e.retryAfterSeconds().ifPresent(seconds -> response.header("Retry-After", seconds));
        return response.build();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        Response original = e.getResponse();
        if (original.hasEntity() || original.getStatus() < 400) {
            return original;
        }
        String reason = original.getStatusInfo().getReasonPhrase();
        return json(original.getStatus(), Map.of("detail", reason == null ? "error" : reason));
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("request failed", e);
        // Clients retry 5xx with backoff, so a transient database or broker problem heals on its own.
        return json(500, Map.of("detail", "internal error; please retry"));
    }

    private static Map<String, Object> render(FieldError error) {
        Map<String, Object> rendered = new LinkedHashMap<>();
        rendered.put("loc", error.loc());
        rendered.put("msg", error.msg());
        rendered.put("type", error.type());
        return rendered;
    }

    private static Response json(int status, Object body) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .entity(body)
                .build();
    }
}
