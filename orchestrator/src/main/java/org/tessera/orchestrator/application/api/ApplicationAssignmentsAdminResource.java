package org.tessera.orchestrator.application.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.tessera.orchestrator.application.ApplicationAccess;
import org.tessera.orchestrator.application.ApplicationCatalogue;
import org.tessera.orchestrator.application.domain.Application;
import org.tessera.orchestrator.application.domain.ApplicationVersion;
import org.tessera.orchestrator.application.domain.SemanticVersion;
import org.tessera.orchestrator.application.domain.VersionRef;
import org.tessera.orchestrator.application.persistence.AssignmentRepository;
import org.tessera.orchestrator.application.persistence.AssignmentRow;
import org.tessera.orchestrator.common.FieldError;
import org.tessera.orchestrator.common.api.ApiException;
import org.tessera.orchestrator.common.api.ValidationFailedException;
import org.tessera.orchestrator.common.persistence.Transactions;
import org.tessera.orchestrator.tenancy.Caller;
import org.tessera.orchestrator.tenancy.Directory;
import org.tessera.orchestrator.tenancy.persistence.OrganizationRepository;

/**
 * Which application versions an organization has (admin API): super-admins assign and unassign versions, admins of
 * the organization read them. Free applications are every organization's without an assignment, so they are listed
 * ({@code free: true}) but cannot be unassigned.
 */
@Path("/api/admin/v1")
@Tag(name = "Admin")
@SecurityRequirement(name = "OAuth2AuthorizationCodeBearer")
@Produces(MediaType.APPLICATION_JSON)
public class ApplicationAssignmentsAdminResource {

    /** Assigning or unassigning a free application's version, which every organization has. */
    public static final String FREE_VERSION = "APPLICATION.FREE_VERSION";

    /** Unassigning a version the organization does not have. */
    public static final String NOT_ASSIGNED = "APPLICATION.VERSION_NOT_ASSIGNED";

    public static final String ORGANIZATION_NOT_FOUND = "TENANCY.ORGANIZATION_NOT_FOUND";

    /**
     * One version an organization has.
     *
     * @param free a free application's version: every organization has it, without an assignment
     * @param assignedAt when it was assigned; null for free versions
     * @param assignedBy the super-admin who assigned it; null for free versions and for the configured seed
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ApplicationAssignmentResponse(
            String organizationId,
            String applicationId,
            String versionNumber,
            boolean free,
            Instant assignedAt,
            String assignedBy) {}

    @Inject
    JsonWebToken token;

    @Inject
    Directory directory;

    @Inject
    ApplicationCatalogue catalogue;

    @Inject
    AssignmentRepository assignments;

    @Inject
    OrganizationRepository organizations;

    @Inject
    DataSource dataSource;

    @Inject
    Clock clock;

    /** Every version the organization has, by application id and then version precedence. */
    @GET
    @Path("/organizations/{organization_id}/applications")
    @Operation(
            summary = "The application versions an organization has",
            description =
                    "Super-admins and the organization's admins; free applications are listed for every organization.")
    @APIResponse(
            responseCode = "401",
            description = "Token missing, invalid, of another organization or without a required second factor")
    @APIResponse(
            responseCode = "403",
            description =
                    "The caller may not do this (AUTH.ADMIN_REQUIRED, AUTH.SUPER_ADMIN_REQUIRED) or is not registered")
    public List<ApplicationAssignmentResponse> list(@PathParam("organization_id") String organizationId) {
        caller().requireAdminOf(organizationId);
        Map<VersionRef, AssignmentRow> assigned = Transactions.inNew(dataSource, c -> {
            requireOrganization(c, organizationId);
            return assignments.activeOf(c, organizationId).stream()
                    .collect(Collectors.toMap(AssignmentRow::version, Function.identity()));
        });
        List<ApplicationAssignmentResponse> response = new ArrayList<>();
        for (Application application : catalogue.applications()) {
            for (ApplicationVersion version : application.versions()) {
                VersionRef ref = new VersionRef(application.applicationId(), version.number());
                if (application.free()) {
                    response.add(free(organizationId, ref));
                } else if (assigned.containsKey(ref)) {
                    response.add(assignment(assigned.get(ref)));
                }
            }
        }
        return response;
    }

    /** Assigns a version: 201 when that gave the organization the version, 200 when it had it already. */
    @PUT
    @Path("/organizations/{organization_id}/applications/{application_id}/versions/{version}")
    @Consumes(MediaType.WILDCARD)
    @Operation(
            summary = "Assign an application version to an organization",
            description = "Super-admins only; 201 when assigned, 200 when it already was.")
    @APIResponse(
            responseCode = "401",
            description = "Token missing, invalid, of another organization or without a required second factor")
    @APIResponse(
            responseCode = "403",
            description =
                    "The caller may not do this (AUTH.ADMIN_REQUIRED, AUTH.SUPER_ADMIN_REQUIRED) or is not registered")
    public Response assign(
            @PathParam("organization_id") String organizationId,
            @PathParam("application_id") String applicationId,
            @PathParam("version") String versionNumber) {
        Caller caller = caller();
        caller.requireSuperAdmin();
        Application application = known(applicationId, versionNumber);
        VersionRef ref = new VersionRef(applicationId, versionNumber);
        if (application.free()) {
            Transactions.inNew(dataSource, c -> requireOrganization(c, organizationId));
            return Response.ok(free(organizationId, ref)).build();
        }
        Instant now = clock.instant();
        Assigned assigned = Transactions.inNew(dataSource, c -> {
            requireOrganization(c, organizationId);
            boolean changed = assignments.assign(c, organizationId, ref, now, caller.userId());
            return new Assigned(
                    changed, assignments.find(c, organizationId, ref).orElseThrow());
        });
        return Response.status(assigned.changed() ? Response.Status.CREATED : Response.Status.OK)
                .entity(assignment(assigned.row()))
                .build();
    }

    /**
     * Unassigns a version: the organization can no longer see it or submit runs to it (runs it submitted before
     * that are not yet admitted end REJECTED); runs already admitted go on.
     */
    @DELETE
    @Path("/organizations/{organization_id}/applications/{application_id}/versions/{version}")
    @Operation(
            summary = "Take an application version away from an organization",
            description = "Super-admins only; runs already admitted continue.")
    @APIResponse(
            responseCode = "401",
            description = "Token missing, invalid, of another organization or without a required second factor")
    @APIResponse(
            responseCode = "403",
            description =
                    "The caller may not do this (AUTH.ADMIN_REQUIRED, AUTH.SUPER_ADMIN_REQUIRED) or is not registered")
    public Response unassign(
            @PathParam("organization_id") String organizationId,
            @PathParam("application_id") String applicationId,
            @PathParam("version") String versionNumber) {
        Caller caller = caller();
        caller.requireSuperAdmin();
        Application application = known(applicationId, versionNumber);
        if (application.free()) {
            throw new ApiException(
                    409,
                    FREE_VERSION,
                    "application '" + applicationId + "' is free: every organization has all its versions, they"
                            + " cannot be unassigned");
        }
        VersionRef ref = new VersionRef(applicationId, versionNumber);
        Instant now = clock.instant();
        boolean unassigned = Transactions.inNew(dataSource, c -> {
            requireOrganization(c, organizationId);
            return assignments.unassign(c, organizationId, ref, now, caller.userId());
        });
        if (!unassigned) {
            throw new ApiException(
                    404,
                    NOT_ASSIGNED,
                    "version '" + versionNumber + "' of application '" + applicationId
                            + "' is not assigned to organization '" + organizationId + "'");
        }
        return Response.noContent().build();
    }

    /** The application of an existing version; 422 for a malformed version number, 404 for an unknown one. */
    private Application known(String applicationId, String versionNumber) {
        if (SemanticVersion.parse(versionNumber).isEmpty()) {
            throw ValidationFailedException.of(
                    FieldError.path("version", "string_pattern_mismatch", "must be a semantic version like 1.2.3"));
        }
        Application application = catalogue
                .application(applicationId)
                .orElseThrow(() -> new ApiException(
                        404,
                        ApplicationAccess.APPLICATION_NOT_FOUND,
                        ApplicationAccess.unknownApplicationMessage(applicationId)));
        if (application.version(versionNumber).isEmpty()) {
            throw new ApiException(
                    404,
                    ApplicationAccess.VERSION_NOT_FOUND,
                    "application '" + applicationId + "' has no version '" + versionNumber + "'");
        }
        return application;
    }

    private Void requireOrganization(Connection c, String organizationId) throws SQLException {
        if (organizations.find(c, organizationId).isEmpty()) {
            throw new ApiException(404, ORGANIZATION_NOT_FOUND, "organization '" + organizationId + "' not found");
        }
        return null;
    }

    private static ApplicationAssignmentResponse free(String organizationId, VersionRef ref) {
        return new ApplicationAssignmentResponse(
                organizationId, ref.applicationId(), ref.versionNumber(), true, null, null);
    }

    private static ApplicationAssignmentResponse assignment(AssignmentRow row) {
        return new ApplicationAssignmentResponse(
                row.organizationId(),
                row.applicationId(),
                row.versionNumber(),
                false,
                row.assignedAt(),
                row.assignedBy());
    }

    private Caller caller() {
        return directory.caller(token);
    }

    /** What an assignment did: whether it gave the organization the version, and the row as it is now. */
    private record Assigned(boolean changed, AssignmentRow row) {}
}
