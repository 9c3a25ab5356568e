package org.tessera.orchestrator.tenancy.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.tessera.orchestrator.tenancy.Caller;
import org.tessera.orchestrator.tenancy.Directory;
import org.tessera.orchestrator.tenancy.OrganizationAdministration;
import org.tessera.orchestrator.tenancy.UserAdministration;

/** {@code GET /admin/v1/me}: who the caller is to the platform, for dashboards (every registered user may ask). */
@Path("/api/admin/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Admin")
@SecurityRequirement(name = "OAuth2AuthorizationCodeBearer")
public class AdminMeResource {

    @Inject
    JsonWebToken token;

    @Inject
    Directory directory;

    @Inject
    UserAdministration userAdministration;

    @Inject
    OrganizationAdministration organizationAdministration;

    @GET
    @Path("/me")
    @Operation(
            operationId = "admin_get_me",
            summary = "The caller's user record, role and organization",
            description = "Open to every registered user, members included: it shows only the caller's own records.")
    @APIResponse(
            responseCode = "200",
            description = "The caller",
            content = @Content(schema = @Schema(implementation = AdminResponses.MeResponse.class)))
    @APIResponse(
            responseCode = "401",
            description = "Token invalid, of another organization, or without a required" + " second factor",
            content = @Content(schema = @Schema(implementation = AdminResponses.ErrorResponse.class)))
    @APIResponse(
            responseCode = "403",
            description = "The token's user is not registered (AUTH.USER_NOT_REGISTERED)",
            content = @Content(schema = @Schema(implementation = AdminResponses.ErrorResponse.class)))
    public AdminResponses.MeResponse me() throws SQLException {
        Caller caller = directory.caller(token);
        return new AdminResponses.MeResponse(
                AdminResponses.UserResponse.of(userAdministration.self(caller)),
                AdminResponses.OrganizationResponse.of(organizationAdministration.own(caller)));
    }
}
