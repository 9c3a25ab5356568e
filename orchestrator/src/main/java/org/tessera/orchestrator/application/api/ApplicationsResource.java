package org.tessera.orchestrator.application.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.tessera.orchestrator.application.ApplicationAccess;
import org.tessera.orchestrator.application.domain.Application;
import org.tessera.orchestrator.application.domain.ApplicationVersion;
import org.tessera.orchestrator.application.domain.ArtifactSpec;
import org.tessera.orchestrator.application.domain.SemanticVersion;
import org.tessera.orchestrator.common.FieldError;
import org.tessera.orchestrator.common.api.Page;
import org.tessera.orchestrator.common.api.QueryParams;
import org.tessera.orchestrator.common.api.SortOrder;
import org.tessera.orchestrator.common.api.ValidationFailedException;
import org.tessera.orchestrator.tenancy.Caller;
import org.tessera.orchestrator.tenancy.Directory;

/**
 * The application catalogue as the caller's organization has it: {@code GET /v1/applications}, one application, one
 * version with its schemas. Other organizations' applications and versions do not show (docs/organizations.md,
 * Applications).
 */
@Path("/api/v1/applications")
@Produces(MediaType.APPLICATION_JSON)
public class ApplicationsResource {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ApplicationVersionResponse(String number, Instant releasedAt) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ApplicationReadShortResponse(
            String applicationId,
            String name,
            List<String> regulatoryClasses,
            String description,
            ApplicationVersionResponse latestVersion) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ApplicationReadResponse(
            String applicationId,
            String name,
            List<String> regulatoryClasses,
            String description,
            List<ApplicationVersionResponse> versions) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record InputArtifactResponse(String name, String mimeType, ObjectNode metadataSchema) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record OutputArtifactResponse(
            String name, String mimeType, ObjectNode metadataSchema, String scope, String visibility) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record VersionReadResponse(
            String versionNumber,
            String changelog,
            List<InputArtifactResponse> inputArtifacts,
            List<OutputArtifactResponse> outputArtifacts,
            Instant releasedAt) {}

    private static final Map<String, Comparator<Application>> SORT_FIELDS = new LinkedHashMap<>();

    static {
        SORT_FIELDS.put("application_id", Comparator.comparing(Application::applicationId));
        SORT_FIELDS.put("name", Comparator.comparing(Application::name));
        SORT_FIELDS.put("description", Comparator.comparing(Application::description));
        SORT_FIELDS.put("regulatory_classes", Comparator.comparing(a -> String.join(",", a.regulatoryClasses())));
    }

    @Inject
    ApplicationAccess access;

    @Inject
    JsonWebToken token;

    @Inject
    Directory directory;

    @GET
    public List<ApplicationReadShortResponse> list(
            @QueryParam("page") String page,
            @QueryParam("page-size") String pageSize,
            @QueryParam("sort") List<String> sort) {
        Page requested = QueryParams.page(page, "page-size", pageSize);
        Comparator<Application> order = Comparator.comparing(Application::applicationId);
        List<SortOrder> orders = QueryParams.sort(sort, SORT_FIELDS.keySet());
        if (!orders.isEmpty()) {
            order = null;
            for (SortOrder o : orders) {
                Comparator<Application> next = SORT_FIELDS.get(o.field());
                next = o.descending() ? next.reversed() : next;
                order = order == null ? next : order.thenComparing(next);
            }
        }
        return access.of(caller().organizationId()).applications().stream()
                .sorted(order)
                .skip(requested.offset())
                .limit(requested.size())
                .map(a -> new ApplicationReadShortResponse(
                        a.applicationId(),
                        a.name(),
                        a.regulatoryClasses(),
                        a.description(),
                        a.latestVersion().map(ApplicationsResource::version).orElse(null)))
                .toList();
    }

    @GET
    @Path("/{application_id}")
    public ApplicationReadResponse application(@PathParam("application_id") String applicationId) {
        Application a = access.application(caller().organizationId(), applicationId);
        return new ApplicationReadResponse(
                a.applicationId(),
                a.name(),
                a.regulatoryClasses(),
                a.description(),
                a.versions().stream().map(ApplicationsResource::version).toList());
    }

    @GET
    @Path("/{application_id}/versions/{version}")
    public VersionReadResponse version(
            @PathParam("application_id") String applicationId, @PathParam("version") String version) {
        if (SemanticVersion.parse(version).isEmpty()) {
            throw ValidationFailedException.of(
                    FieldError.path("version", "string_pattern_mismatch", "must be a semantic version like 1.2.3"));
        }
        ApplicationVersion v = access.version(caller().organizationId(), applicationId, version)
                .version();
        return new VersionReadResponse(
                v.number(),
                v.changelog(),
                v.inputArtifacts().stream()
                        .map(in -> new InputArtifactResponse(in.name(), in.mimeType(), in.metadataSchema()))
                        .toList(),
                v.outputArtifacts().stream().map(ApplicationsResource::output).toList(),
                v.releasedAt());
    }

    private Caller caller() {
        return directory.caller(token);
    }

    private static ApplicationVersionResponse version(ApplicationVersion v) {
        return new ApplicationVersionResponse(v.number(), v.releasedAt());
    }

    private static OutputArtifactResponse output(ArtifactSpec out) {
        return new OutputArtifactResponse(
                out.name(), out.mimeType(), out.metadataSchema(), out.scope(), out.visibility());
    }
}
