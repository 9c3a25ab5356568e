package org.tessera.orchestrator.tenancy.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.sql.SQLException;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.tessera.orchestrator.common.api.JsonBody;
import org.tessera.orchestrator.common.api.QueryParams;
import org.tessera.orchestrator.tenancy.Caller;
import org.tessera.orchestrator.tenancy.Directory;
import org.tessera.orchestrator.tenancy.OrganizationAdministration;

/**
 * {@code /admin/v1/organizations}: super-admins register organizations (with their first admin), list, read and change
 * them; an organization's admins may read their own.
 */
@Path("/api/admin/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Admin")
@SecurityRequirement(name = "OAuth2AuthorizationCodeBearer")
@APIResponse(
        responseCode = "401",
        description = "Token invalid, of another organization, or without a required second factor",
        content = @Content(schema = @Schema(implementation = AdminResponses.ErrorResponse.class)))
@APIResponse(
        responseCode = "403",
        description = "Not a super-admin (AUTH.SUPER_ADMIN_REQUIRED), or not registered (AUTH.USER_NOT_REGISTERED)",
        content = @Content(schema = @Schema(implementation = AdminResponses.ErrorResponse.class)))
public class OrganizationsAdminResource {

    @Inject
    JsonWebToken token;

    @Inject
    Directory directory;

    @Inject
    OrganizationAdministration administration;

    @POST
    @Path("/organizations")
    @Consumes(MediaType.WILDCARD)
    @Operation(
            operationId = "admin_register_organization",
            summary = "Register an organization with its first admin",
            description = "Super-admins only. Domains must be well-formed, not personal mail and not another"
                    + " organization's; the first admin's email must be on them.")
    @RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = AdminRequests.OrganizationRegistrationRequest.class)))
    @APIResponse(
            responseCode = "201",
            description = "Registered",
            content = @Content(schema = @Schema(implementation = AdminResponses.RegistrationResponse.class)))
    @APIResponse(
            responseCode = "409",
            description =
                    "The id, a domain (TENANCY.DOMAIN_TAKEN names its organization) or the admin's email is taken",
            content = @Content(schema = @Schema(implementation = AdminResponses.ErrorResponse.class)))
    @APIResponse(
            responseCode = "422",
            description = "A field is malformed (HTTPValidationError), or a domain or email breaks a rule (AdminError,"
                    + " TENANCY.*)",
            content =
                    @Content(
                            schema =
                                    @Schema(
                                            oneOf = {
                                                AdminResponses.HttpValidationError.class,
                                                AdminResponses.ErrorResponse.class
                                            })))
    public Response register(byte[] body) throws SQLException {
        Caller caller = directory.caller(token);
        caller.requireSuperAdmin();
        OrganizationAdministration.Registration registration = AdminRequests.registration(JsonBody.parse(body));
        OrganizationAdministration.Registered registered = administration.register(caller, registration);
        return Response.created(URI.create("/api/admin/v1/organizations/"
                        + registered.organization().organizationId()))
                .entity(AdminResponses.RegistrationResponse.of(registered))
                .build();
    }

    @GET
    @Path("/organizations")
    @Operation(
            operationId = "admin_list_organizations",
            summary = "List organizations",
            description = "Super-admins only; by id.")
    @APIResponse(
            responseCode = "200",
            description = "One page of organizations",
            content =
                    @Content(
                            schema =
                                    @Schema(
                                            type = SchemaType.ARRAY,
                                            implementation = AdminResponses.OrganizationResponse.class)))
    @APIResponse(
            responseCode = "422",
            description = "page or page_size out of range",
            content = @Content(schema = @Schema(implementation = AdminResponses.HttpValidationError.class)))
    public List<AdminResponses.OrganizationResponse> list(
            @QueryParam("page") String page, @QueryParam("page_size") String pageSize) throws SQLException {
        return administration.list(directory.caller(token), QueryParams.page(page, "page_size", pageSize)).stream()
                .map(AdminResponses.OrganizationResponse::of)
                .toList();
    }

    @GET
    @Path("/organizations/{organization_id}")
    @Operation(
            operationId = "admin_get_organization",
            summary = "Read an organization",
            description = "Super-admins read every organization, admins their own; anyone else gets 403, whether or not"
                    + " the organization exists.")
    @APIResponse(
            responseCode = "200",
            description = "The organization",
            content = @Content(schema = @Schema(implementation = AdminResponses.OrganizationResponse.class)))
    @APIResponse(
            responseCode = "404",
            description = "No such organization (TENANCY.ORGANIZATION_NOT_FOUND)",
            content = @Content(schema = @Schema(implementation = AdminResponses.ErrorResponse.class)))
    public AdminResponses.OrganizationResponse get(@PathParam("organization_id") String organizationId)
            throws SQLException {
        return AdminResponses.OrganizationResponse.of(administration.get(directory.caller(token), organizationId));
    }

    @PATCH
    @Path("/organizations/{organization_id}")
    @Consumes(MediaType.WILDCARD)
    @Operation(
            operationId = "admin_update_organization",
            summary = "Change an organization",
            description = "Super-admins only. Names, domains, require_mfa, limits and bucket fields; absent fields"
                    + " stay as they are, a limit set to null becomes unlimited.")
    @RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = AdminRequests.OrganizationUpdateRequest.class)))
    @APIResponse(
            responseCode = "200",
            description = "The changed organization",
            content = @Content(schema = @Schema(implementation = AdminResponses.OrganizationResponse.class)))
    @APIResponse(
            responseCode = "404",
            description = "No such organization (TENANCY.ORGANIZATION_NOT_FOUND)",
            content = @Content(schema = @Schema(implementation = AdminResponses.ErrorResponse.class)))
    @APIResponse(
            responseCode = "409",
            description = "A new domain is another organization's (TENANCY.DOMAIN_TAKEN), or a dropped domain is"
                    + " still an active user's (TENANCY.DOMAIN_IN_USE)",
            content = @Content(schema = @Schema(implementation = AdminResponses.ErrorResponse.class)))
    @APIResponse(
            responseCode = "422",
            description = "A field is malformed (HTTPValidationError), or a domain breaks a rule (AdminError,"
                    + " TENANCY.*)",
            content =
                    @Content(
                            schema =
                                    @Schema(
                                            oneOf = {
                                                AdminResponses.HttpValidationError.class,
                                                AdminResponses.ErrorResponse.class
                                            })))
    public AdminResponses.OrganizationResponse update(@PathParam("organization_id") String organizationId, byte[] body)
            throws SQLException {
        Caller caller = directory.caller(token);
        caller.requireSuperAdmin();
        OrganizationAdministration.Changes changes = AdminRequests.organizationChanges(JsonBody.parse(body));
        return AdminResponses.OrganizationResponse.of(administration.update(caller, organizationId, changes));
    }
}
