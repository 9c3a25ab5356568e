package org.tessera.orchestrator.tenancy.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
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
import org.tessera.orchestrator.tenancy.UserAdministration;
import org.tessera.orchestrator.tenancy.persistence.UserRow;

/**
 * {@code /admin/v1/organizations/{organization_id}/users}: an organization's admins (and super-admins) add, read,
 * change and remove its users. Members get 403; users of other organizations get 404, as for an organization that
 * does not exist.
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
        description =
                "A member of the organization (AUTH.ADMIN_REQUIRED), or not registered (AUTH.USER_NOT_REGISTERED)",
        content = @Content(schema = @Schema(implementation = AdminResponses.ErrorResponse.class)))
@APIResponse(
        responseCode = "404",
        description = "No such organization as far as the caller may know (TENANCY.ORGANIZATION_NOT_FOUND), or no"
                + " such active user in it (TENANCY.USER_NOT_FOUND)",
        content = @Content(schema = @Schema(implementation = AdminResponses.ErrorResponse.class)))
public class UsersAdminResource {

    @Inject
    JsonWebToken token;

    @Inject
    Directory directory;

    @Inject
    UserAdministration administration;

    @GET
    @Path("/organizations/{organization_id}/users")
    @Operation(
            operationId = "admin_list_users",
            summary = "List an organization's users",
            description = "Active users, oldest first.")
    @APIResponse(
            responseCode = "200",
            description = "One page of users",
            content =
                    @Content(
                            schema =
                                    @Schema(
                                            type = SchemaType.ARRAY,
                                            implementation = AdminResponses.UserResponse.class)))
    @APIResponse(
            responseCode = "422",
            description = "page or page_size out of range",
            content = @Content(schema = @Schema(implementation = AdminResponses.HttpValidationError.class)))
    public List<AdminResponses.UserResponse> list(
            @PathParam("organization_id") String organizationId,
            @QueryParam("page") String page,
            @QueryParam("page_size") String pageSize)
            throws SQLException {
        return administration
                .list(directory.caller(token), organizationId, QueryParams.page(page, "page_size", pageSize))
                .stream()
                .map(AdminResponses.UserResponse::of)
                .toList();
    }

    @POST
    @Path("/organizations/{organization_id}/users")
    @Consumes(MediaType.WILDCARD)
    @Operation(
            operationId = "admin_add_user",
            summary = "Add a user",
            description = "The email must be on the organization's domains. Without subject, the user is bound at the"
                    + " first sign-in whose token carries this email, verified.")
    @RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = AdminRequests.UserCreationRequest.class)))
    @APIResponse(
            responseCode = "201",
            description = "Added",
            content = @Content(schema = @Schema(implementation = AdminResponses.UserResponse.class)))
    @APIResponse(
            responseCode = "402",
            description = "The organization's user limit is reached (QUOTA.USERS)",
            content = @Content(schema = @Schema(implementation = AdminResponses.QuotaErrorResponse.class)))
    @APIResponse(
            responseCode = "409",
            description = "The user id, the email or the subject is taken",
            content = @Content(schema = @Schema(implementation = AdminResponses.ErrorResponse.class)))
    @APIResponse(
            responseCode = "422",
            description = "A field is malformed (HTTPValidationError), or the email breaks a rule (AdminError,"
                    + " TENANCY.*)",
            content =
                    @Content(
                            schema =
                                    @Schema(
                                            oneOf = {
                                                AdminResponses.HttpValidationError.class,
                                                AdminResponses.ErrorResponse.class
                                            })))
    public Response add(@PathParam("organization_id") String organizationId, byte[] body) throws SQLException {
        Caller caller = directory.caller(token);
        administration.requireAdministers(caller, organizationId);
        UserAdministration.NewUser user = AdminRequests.newUser(JsonBody.parse(body));
        UserRow added = administration.add(caller, organizationId, user);
        return Response.created(UriBuilder.fromPath("/api/admin/v1/organizations/{organization_id}/users/{user_id}")
                        .build(organizationId, added.userId()))
                .entity(AdminResponses.UserResponse.of(added))
                .build();
    }

    @GET
    @Path("/organizations/{organization_id}/users/{user_id}")
    @Operation(operationId = "admin_get_user", summary = "Read a user")
    @APIResponse(
            responseCode = "200",
            description = "The user",
            content = @Content(schema = @Schema(implementation = AdminResponses.UserResponse.class)))
    public AdminResponses.UserResponse get(
            @PathParam("organization_id") String organizationId, @PathParam("user_id") String userId)
            throws SQLException {
        return AdminResponses.UserResponse.of(administration.get(directory.caller(token), organizationId, userId));
    }

    @PATCH
    @Path("/organizations/{organization_id}/users/{user_id}")
    @Consumes(MediaType.WILDCARD)
    @Operation(
            operationId = "admin_update_user",
            summary = "Change a user's role, names or limits",
            description = "Absent fields stay as they are; a limit set to null leaves only the organization's. The last"
                    + " admin cannot be demoted.")
    @RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = AdminRequests.UserUpdateRequest.class)))
    @APIResponse(
            responseCode = "200",
            description = "The changed user",
            content = @Content(schema = @Schema(implementation = AdminResponses.UserResponse.class)))
    @APIResponse(
            responseCode = "409",
            description = "The user is the organization's last admin (TENANCY.LAST_ADMIN)",
            content = @Content(schema = @Schema(implementation = AdminResponses.ErrorResponse.class)))
    @APIResponse(
            responseCode = "422",
            description = "A field is malformed",
            content =
                    @Content(
                            schema =
                                    @Schema(
                                            oneOf = {
                                                AdminResponses.HttpValidationError.class,
                                                AdminResponses.ErrorResponse.class
                                            })))
    public AdminResponses.UserResponse update(
            @PathParam("organization_id") String organizationId, @PathParam("user_id") String userId, byte[] body)
            throws SQLException {
        Caller caller = directory.caller(token);
        administration.requireAdministers(caller, organizationId);
        UserAdministration.Changes changes = AdminRequests.userChanges(JsonBody.parse(body));
        return AdminResponses.UserResponse.of(administration.update(caller, organizationId, userId, changes));
    }

    @DELETE
    @Path("/organizations/{organization_id}/users/{user_id}")
    @Operation(
            operationId = "admin_remove_user",
            summary = "Remove a user",
            description = "The user's tokens are refused from the next request on; their runs, results and ledger"
                    + " entries stay. The last admin cannot be removed.")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(
            responseCode = "409",
            description = "The user is the organization's last admin (TENANCY.LAST_ADMIN)",
            content = @Content(schema = @Schema(implementation = AdminResponses.ErrorResponse.class)))
    public Response remove(@PathParam("organization_id") String organizationId, @PathParam("user_id") String userId)
            throws SQLException {
        administration.remove(directory.caller(token), organizationId, userId);
        return Response.noContent().build();
    }
}
