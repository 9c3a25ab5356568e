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
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.tessera.orchestrator.access.GrantRequest;
import org.tessera.orchestrator.access.Grants;
import org.tessera.orchestrator.access.domain.GrantRelation;
import org.tessera.orchestrator.access.domain.ResourceType;
import org.tessera.orchestrator.access.domain.SubjectType;
import org.tessera.orchestrator.access.persistence.GrantRepository;
import org.tessera.orchestrator.common.FieldError;
import org.tessera.orchestrator.common.api.JsonBodies;
import org.tessera.orchestrator.common.api.QueryParams;
import org.tessera.orchestrator.common.api.ValidationFailedException;
import org.tessera.orchestrator.tenancy.Caller;
import org.tessera.orchestrator.tenancy.Directory;

/** {@code /v1/access/grants}: share a run with a user, an organization's users or admins, or a share token. */
@Path("/api/v1/access/grants")
@Produces(MediaType.APPLICATION_JSON)
public class GrantsResource {

    @Inject
    JsonWebToken token;

    @Inject
    Directory directory;

    @Inject
    Grants grants;

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response create(byte[] body) throws SQLException {
        ObjectNode json = JsonBodies.object(body);
        List<FieldError> errors = new ArrayList<>();
        ResourceType resourceType =
                wireEnum(json, "resource_type", ResourceType::fromWire, ResourceType.wireNames(), errors);
        UUID resourceId = uuid(JsonBodies.requiredText(json, "resource_id", errors), "resource_id", errors);
        SubjectType subjectType =
                wireEnum(json, "subject_type", SubjectType::fromWire, SubjectType.wireNames(), errors);
        String subjectId = JsonBodies.optionalText(json, "subject_id", errors);
        String subjectEmail = JsonBodies.optionalText(json, "subject_email", errors);
        GrantRelation relation = wireEnum(json, "relation", GrantRelation::fromWire, GrantRelation.wireNames(), errors);
        if (!errors.isEmpty()) {
            throw new ValidationFailedException(errors);
        }
        GrantRequest request =
                new GrantRequest(resourceType, resourceId, subjectType, subjectId, subjectEmail, relation);
        return Response.status(Response.Status.CREATED)
                .entity(AccessResponses.GrantReadResponse.of(grants.create(caller(), request)))
                .build();
    }

    @GET
    public List<AccessResponses.GrantReadResponse> list(
            @QueryParam("resource_type") String resourceType,
            @QueryParam("resource_id") String resourceId,
            @QueryParam("subject_type") String subjectType,
            @QueryParam("subject_id") String subjectId,
            @QueryParam("relation") List<String> relations,
            @QueryParam("revoked") String revoked,
            @QueryParam("page") String page,
            @QueryParam("page_size") String pageSize,
            @QueryParam("sort") List<String> sort)
            throws SQLException {
        List<GrantRelation> relationFilter = null;
        if (relations != null && !relations.isEmpty()) {
            relationFilter = new ArrayList<>();
            for (String relation : relations) {
                relationFilter.add(queryEnum("relation", relation, GrantRelation::fromWire, GrantRelation.wireNames()));
            }
        }
        return grants
                .list(
                        caller(),
                        resourceType == null || resourceType.isBlank()
                                ? null
                                : queryEnum(
                                        "resource_type",
                                        resourceType,
                                        ResourceType::fromWire,
                                        ResourceType.wireNames()),
                        resourceId == null || resourceId.isBlank()
                                ? null
                                : QueryParams.uuids("resource_id", List.of(resourceId))
                                        .getFirst(),
                        subjectType == null || subjectType.isBlank()
                                ? null
                                : queryEnum(
                                        "subject_type", subjectType, SubjectType::fromWire, SubjectType.wireNames()),
                        subjectId == null || subjectId.isBlank() ? null : subjectId,
                        relationFilter,
                        QueryParams.bool("revoked", revoked),
                        QueryParams.sort(sort, GrantRepository.SORT_FIELDS.names()),
                        QueryParams.page(page, "page_size", pageSize))
                .stream()
                .map(AccessResponses.GrantReadResponse::of)
                .toList();
    }

    @GET
    @Path("/{grant_id}")
    public AccessResponses.GrantReadResponse get(@PathParam("grant_id") String grantId) throws SQLException {
        return AccessResponses.GrantReadResponse.of(grants.read(caller(), QueryParams.uuidPath("grant_id", grantId)));
    }

    @DELETE
    @Path("/{grant_id}")
    public AccessResponses.GrantReadResponse revoke(@PathParam("grant_id") String grantId) throws SQLException {
        return AccessResponses.GrantReadResponse.of(grants.revoke(caller(), QueryParams.uuidPath("grant_id", grantId)));
    }

    private Caller caller() {
        return directory.caller(token);
    }

    private static <E> E wireEnum(
            ObjectNode json,
            String field,
            Function<String, java.util.Optional<E>> parse,
            List<String> allowed,
            List<FieldError> errors) {
        String value = JsonBodies.requiredText(json, field, errors);
        if (value == null) {
            return null;
        }
        java.util.Optional<E> parsed = parse.apply(value);
        if (parsed.isEmpty()) {
            errors.add(FieldError.body(
                    List.of(field), "enum", "must be one of " + String.join(", ", allowed) + ", got '" + value + "'"));
            return null;
        }
        return parsed.get();
    }

    private static UUID uuid(String value, String field, List<FieldError> errors) {
        if (value == null) {
            return null;
        }
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            errors.add(FieldError.body(List.of(field), "uuid_parsing", "must be a UUID, got '" + value + "'"));
            return null;
        }
    }

    static <E> E queryEnum(
            String name, String value, Function<String, java.util.Optional<E>> parse, List<String> allowed) {
        return parse.apply(value.trim())
                .orElseThrow(() -> ValidationFailedException.of(FieldError.query(
                        name, "enum", "must be one of " + String.join(", ", allowed) + ", got '" + value + "'")));
    }
}
