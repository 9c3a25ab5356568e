package org.tessera.orchestrator.quota.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.tessera.orchestrator.common.api.ApiException;
import org.tessera.orchestrator.tenancy.Caller;
import org.tessera.orchestrator.tenancy.Directory;

/**
 * Usage against the quotas, per calendar month (UTC): admins read their organization's and its users', every user
 * reads their own, super-admins read every organization's.
 */
@Path("/api/admin/v1")
@Tag(name = "Admin")
@SecurityRequirement(name = "OAuth2AuthorizationCodeBearer")
@Produces(MediaType.APPLICATION_JSON)
public class UsageAdminResource {

    @Inject
    JsonWebToken token;

    @Inject
    Directory directory;

    @Inject
    UsageReports reports;

    @Inject
    Clock clock;

    @GET
    @Path("/organizations/{organization_id}/usage")
    @Operation(
            summary = "An organization's usage in a month",
            description = "Limits, WSIs used and remaining, runs in progress and waiting, and a row per user.")
    @APIResponse(
            responseCode = "401",
            description = "Token missing, invalid, of another organization or without a required second factor")
    @APIResponse(
            responseCode = "403",
            description =
                    "The caller may not do this (AUTH.ADMIN_REQUIRED, AUTH.SUPER_ADMIN_REQUIRED) or is not registered")
    public QuotaViews.OrganizationUsage organization(
            @PathParam("organization_id") String organizationId, @QueryParam("month") String month) {
        caller().requireAdminOf(organizationId);
        return reports.organization(organizationId, MonthParam.parse(month, clock));
    }

    @GET
    @Path("/organizations/{organization_id}/users/{user_id}/usage")
    @Operation(
            summary = "A user's usage in a month",
            description = "The user themselves and the organization's admins.")
    @APIResponse(
            responseCode = "401",
            description = "Token missing, invalid, of another organization or without a required second factor")
    @APIResponse(
            responseCode = "403",
            description =
                    "The caller may not do this (AUTH.ADMIN_REQUIRED, AUTH.SUPER_ADMIN_REQUIRED) or is not registered")
    public QuotaViews.UserUsage user(
            @PathParam("organization_id") String organizationId,
            @PathParam("user_id") String userId,
            @QueryParam("month") String month) {
        Caller caller = caller();
        boolean self = caller.userId().equals(userId) && caller.organizationId().equals(organizationId);
        if (!self && !caller.administers(organizationId)) {
            throw ApiException.forbidden(
                    "AUTH.ADMIN_REQUIRED",
                    "only admins of organization " + organizationId + " and the user themselves may read the usage"
                            + " of user " + userId);
        }
        return reports.user(organizationId, userId, MonthParam.parse(month, clock));
    }

    @GET
    @Path("/me/usage")
    @Operation(summary = "The caller's own usage in a month", description = "Every registered user.")
    @APIResponse(
            responseCode = "401",
            description = "Token missing, invalid, of another organization or without a required second factor")
    @APIResponse(
            responseCode = "403",
            description =
                    "The caller may not do this (AUTH.ADMIN_REQUIRED, AUTH.SUPER_ADMIN_REQUIRED) or is not registered")
    public QuotaViews.UserUsage me(@QueryParam("month") String month) {
        Caller caller = caller();
        return reports.user(caller.organizationId(), caller.userId(), MonthParam.parse(month, clock));
    }

    private Caller caller() {
        return directory.caller(token);
    }
}
