package org.tessera.orchestrator.access.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.tessera.orchestrator.access.ShareTokens;
import org.tessera.orchestrator.access.persistence.ShareTokenRepository;
import org.tessera.orchestrator.common.FieldError;
import org.tessera.orchestrator.common.api.JsonBodies;
import org.tessera.orchestrator.common.api.QueryParams;
import org.tessera.orchestrator.common.api.ValidationFailedException;
import org.tessera.orchestrator.tenancy.Caller;
import org.tessera.orchestrator.tenancy.Directory;

/** {@code /v1/access/share-tokens}: secrets that open the runs granted to them; shown once, stored hashed. */
@Path("/api/v1/access/share-tokens")
@Produces(MediaType.APPLICATION_JSON)
public class ShareTokensResource {

    @Inject
    JsonWebToken token;

    @Inject
    Directory directory;

    @Inject
    ShareTokens shareTokens;

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response create(byte[] body) throws SQLException {
        ObjectNode json = JsonBodies.object(body);
        List<FieldError> errors = new ArrayList<>();
        String expiresAtText = JsonBodies.optionalText(json, "expires_at", errors);
        Instant expiresAt = null;
        if (expiresAtText != null) {
            try {
                expiresAt = OffsetDateTime.parse(expiresAtText).toInstant();
            } catch (DateTimeParseException e) {
                errors.add(FieldError.body(
                        List.of("expires_at"),
                        "datetime_parsing",
                        "must be an RFC 3339 date-time with an offset, e.g. 2030-01-31T12:00:00Z, got '" + expiresAtText
                                + "'"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ValidationFailedException(errors);
        }
        return Response.status(Response.Status.CREATED)
                .entity(AccessResponses.ShareTokenCreateResponse.of(shareTokens.create(caller(), expiresAt)))
                .build();
    }

    @GET
    public List<AccessResponses.ShareTokenReadResponse> list(
            @QueryParam("run_id") String runId,
            @QueryParam("created_by") String createdBy,
            @QueryParam("revoked") String revoked,
            @QueryParam("page") String page,
            @QueryParam("page_size") String pageSize,
            @QueryParam("sort") List<String> sort)
            throws SQLException {
        return shareTokens
                .list(
                        caller(),
                        runId == null || runId.isBlank()
                                ? null
                                : QueryParams.uuids("run_id", List.of(runId)).getFirst(),
                        createdBy == null || createdBy.isBlank() ? null : createdBy,
                        QueryParams.bool("revoked", revoked),
                        QueryParams.sort(sort, ShareTokenRepository.SORT_FIELDS.names()),
                        QueryParams.page(page, "page_size", pageSize))
                .stream()
                .map(AccessResponses.ShareTokenReadResponse::of)
                .toList();
    }

    @GET
    @Path("/{share_token_id}")
    public AccessResponses.ShareTokenReadResponse get(@PathParam("share_token_id") String shareTokenId)
            throws SQLException {
        return AccessResponses.ShareTokenReadResponse.of(
                shareTokens.read(caller(), QueryParams.uuidPath("share_token_id", shareTokenId)));
    }

    @DELETE
    @Path("/{share_token_id}")
    public AccessResponses.ShareTokenReadResponse revoke(@PathParam("share_token_id") String shareTokenId)
            throws SQLException {
        return AccessResponses.ShareTokenReadResponse.of(
                shareTokens.revoke(caller(), QueryParams.uuidPath("share_token_id", shareTokenId)));
    }

    private Caller caller() {
        return directory.caller(token);
    }
}
