package org.tessera.orchestrator.run.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.tessera.objectstore.ObjectStore;
import org.tessera.orchestrator.application.ApplicationAccess;
import org.tessera.orchestrator.application.domain.OrganizationApplications;
import org.tessera.orchestrator.artifact.persistence.OutputArtifactRow;
import org.tessera.orchestrator.common.FieldError;
import org.tessera.orchestrator.common.Json;
import org.tessera.orchestrator.common.api.ApiException;
import org.tessera.orchestrator.common.api.Page;
import org.tessera.orchestrator.common.api.QueryParams;
import org.tessera.orchestrator.common.api.ValidationFailedException;
import org.tessera.orchestrator.item.domain.ItemProjection;
import org.tessera.orchestrator.item.domain.ItemState;
import org.tessera.orchestrator.item.persistence.ItemQuery;
import org.tessera.orchestrator.item.persistence.ItemRepository;
import org.tessera.orchestrator.run.CustomMetadataLimit;
import org.tessera.orchestrator.run.RunCommands;
import org.tessera.orchestrator.run.RunCustomMetadata;
import org.tessera.orchestrator.run.RunReads;
import org.tessera.orchestrator.run.RunVisibility;
import org.tessera.orchestrator.run.persistence.RunQuery;
import org.tessera.orchestrator.run.persistence.RunRepository;
import org.tessera.orchestrator.run.submission.SubmissionParser;
import org.tessera.orchestrator.run.submission.SubmissionValidator;
import org.tessera.orchestrator.tenancy.Caller;
import org.tessera.orchestrator.tenancy.Directory;

/**
 * {@code /v1/runs}: submit, list, read, cancel runs; list and read items; download and delete outputs; replace custom
 * metadata.
 */
@Path("/api/v1/runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunsResource {

    @Inject
    JsonWebToken token;

    @Inject
    Directory directory;

    @Inject
    SubmissionValidator validator;

    @Inject
    ApplicationAccess applicationAccess;

    @Inject
    RunCommands commands;

    @Inject
    RunReads reads;

    @Inject
    ObjectStore objectStore;

    @Inject
    MeterRegistry metrics;

    @Inject
    Clock clock;

    @Inject
    RunVisibility visibility;

    @Inject
    RunCustomMetadata customMetadata;

    @Inject
    CustomMetadataLimit customMetadataLimit;

    @Inject
    SubmissionGate gate;

    @ConfigProperty(name = "tessera.orchestrator.download-url-ttl", defaultValue = "PT15M")
    Duration downloadUrlTtl;

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response create(byte[] body) throws SQLException {
        return gate.inTurn(() -> submit(body));
    }

    private Response submit(byte[] body) throws SQLException {
        JsonNode json;
        try {
            json = Json.parse(body == null ? new byte[0] : body);
        } catch (JsonProcessingException e) {
            throw ValidationFailedException.of(FieldError.body(
                    List.of(), "json_invalid", "the request body is not valid JSON: " + e.getOriginalMessage()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        SubmissionParser.Parsed parsed = SubmissionParser.parse(json);
        if (!parsed.errors().isEmpty()) {
            throw new ValidationFailedException(parsed.errors());
        }
        List<FieldError> tooLarge = customMetadataLimit.check(parsed.submission());
        if (!tooLarge.isEmpty()) {
            throw new ValidationFailedException(tooLarge);
        }
        Caller caller = caller();
        OrganizationApplications available = applicationAccess.of(caller.organizationId());
        Timer.Sample validation = Timer.start(metrics);
        SubmissionValidator.Verdict verdict = validator.validate(parsed.submission(), available, clock.instant());
        validation.stop(metrics.timer("tessera.runs.submission.validation"));
        UUID runId = switch (verdict) {
            case SubmissionValidator.NotFound notFound ->
                throw new ApiException(404, notFound.code(), notFound.message());
            case SubmissionValidator.NotAvailable notAvailable ->
                throw ApiException.forbidden(notAvailable.code(), notAvailable.message());
            case SubmissionValidator.Invalid invalid -> throw new ValidationFailedException(invalid.errors());
            case SubmissionValidator.Accepted accepted ->
                commands.submit(parsed.submission(), accepted.version(), caller);
        };
        return Response.status(Response.Status.CREATED)
                .entity(new RunResponses.RunCreationResponse(runId))
                .build();
    }

    @GET
    public List<RunResponses.RunReadResponse> list(
            @QueryParam("application_id") String applicationId,
            @QueryParam("application_version") String applicationVersion,
            @QueryParam("external_id") String externalId,
            @QueryParam("submitted_by") String submittedBy,
            @QueryParam("organization_id") String organizationId,
            @QueryParam("for_organization") String forOrganization,
            @BeanParam ListParams params)
            throws SQLException {
        Caller caller = caller();
        Page page = params.page();
        RunQuery query = new RunQuery(
                visibility.listScope(
                        caller, blankToNull(submittedBy), blankToNull(organizationId), blankToNull(forOrganization)),
                blankToNull(applicationId),
                blankToNull(applicationVersion),
                blankToNull(externalId),
                params.customMetadataPath(),
                params.sort(RunRepository.SORT_FIELDS),
                page);
        return reads.runs(query);
    }

    @GET
    @Path("/{run_id}")
    public RunResponses.RunReadResponse get(
            @PathParam("run_id") String runId, @QueryParam("share_token") String shareToken) throws SQLException {
        return reads.run(QueryParams.uuidPath("run_id", runId), caller(), shareToken);
    }

    @PUT
    @Path("/{run_id}/custom-metadata")
    @Consumes(MediaType.WILDCARD)
    public CustomMetadataRequests.CustomMetadataUpdateResponse putCustomMetadata(
            @PathParam("run_id") String runId, byte[] body) throws SQLException {
        UUID run = QueryParams.uuidPath("run_id", runId);
        RunCustomMetadata.Update update = CustomMetadataRequests.parse(body);
        return new CustomMetadataRequests.CustomMetadataUpdateResponse(
                customMetadata.replaceOnRun(run, caller(), update));
    }

    @PUT
    @Path("/{run_id}/items/{external_id}/custom-metadata")
    @Consumes(MediaType.WILDCARD)
    public CustomMetadataRequests.CustomMetadataUpdateResponse putItemCustomMetadata(
            @PathParam("run_id") String runId, @PathParam("external_id") String externalId, byte[] body)
            throws SQLException {
        UUID run = QueryParams.uuidPath("run_id", runId);
        RunCustomMetadata.Update update = CustomMetadataRequests.parse(body);
        return new CustomMetadataRequests.CustomMetadataUpdateResponse(
                customMetadata.replaceOnItem(run, externalId, caller(), update));
    }

    @POST
    @Path("/{run_id}/cancel")
    @Consumes(MediaType.WILDCARD)
    public Response cancel(@PathParam("run_id") String runId) throws SQLException {
        commands.cancel(QueryParams.uuidPath("run_id", runId), caller());
        return Response.accepted(Map.of()).build();
    }

    @DELETE
    @Path("/{run_id}/artifacts")
    public Response deleteArtifacts(@PathParam("run_id") String runId) throws SQLException, IOException {
        commands.deleteOutputs(QueryParams.uuidPath("run_id", runId), caller());
        return Response.ok(Map.of()).build();
    }

    @GET
    @Path("/{run_id}/items")
    public List<RunResponses.ItemResultReadResponse> items(
            @PathParam("run_id") String runId,
            @QueryParam("item_id__in") List<String> itemIds,
            @QueryParam("external_id__in") List<String> externalIds,
            @QueryParam("state") String state,
            @QueryParam("termination_reason") String terminationReason,
            @QueryParam("share_token") String shareToken,
            @BeanParam ListParams params)
            throws SQLException {
        UUID run = QueryParams.uuidPath("run_id", runId);
        Page page = params.page();
        Set<ItemState> states = states(
                QueryParams.enumValue("state", state, ItemProjection.ApiState.class),
                QueryParams.enumValue(
                        "termination_reason", terminationReason, ItemProjection.ApiTerminationReason.class));
        ItemQuery query = new ItemQuery(
                run,
                states,
                externalIds,
                QueryParams.uuids("item_id__in", itemIds),
                params.customMetadataPath(),
                params.sort(ItemRepository.SORT_FIELDS),
                page);
        return reads.items(query, caller(), shareToken);
    }

    @GET
    @Path("/{run_id}/items/{external_id}")
    public RunResponses.ItemResultReadResponse item(
            @PathParam("run_id") String runId,
            @PathParam("external_id") String externalId,
            @QueryParam("share_token") String shareToken)
            throws SQLException {
        return reads.item(QueryParams.uuidPath("run_id", runId), externalId, caller(), shareToken);
    }

    /**
     * Redirects to a short-lived signed URL. Clients call this with redirects disabled and fetch the Location
     * without their token, so the URL itself must carry the authorization.
     */
    @GET
    @Path("/{run_id}/artifacts/{artifact_id}/file")
    public Response download(
            @PathParam("run_id") String runId,
            @PathParam("artifact_id") String artifactId,
            @QueryParam("share_token") String shareToken)
            throws SQLException {
        OutputArtifactRow output = reads.downloadableOutput(
                QueryParams.uuidPath("run_id", runId),
                QueryParams.uuidPath("artifact_id", artifactId),
                caller(),
                shareToken);
        URI location = objectStore.presignGet(output.objectKey(), downloadUrlTtl);
        return Response.temporaryRedirect(location).build();
    }

    private Caller caller() {
        return directory.caller(token);
    }

    /**
     * The lifecycle states matching the API filters; null when neither is given. A termination reason implies
     * TERMINATED, so combining it with another state matches nothing.
     */
    static Set<ItemState> states(ItemProjection.ApiState state, ItemProjection.ApiTerminationReason reason) {
        if (state == null && reason == null) {
            return null;
        }
        Set<ItemState> matching = EnumSet.allOf(ItemState.class);
        if (state != null) {
            matching.removeIf(s -> ItemProjection.of(s).state() != state);
        }
        if (reason != null) {
            matching.removeIf(s -> ItemProjection.of(s).terminationReason() != reason);
        }
        return matching;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
