package org.tessera.orchestrator.quota.api;

import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.tessera.orchestrator.common.api.ApiException;
import org.tessera.orchestrator.common.persistence.Transactions;
import org.tessera.orchestrator.quota.LimitsChanged;
import org.tessera.orchestrator.tenancy.Caller;
import org.tessera.orchestrator.tenancy.Directory;
import org.tessera.orchestrator.tenancy.persistence.OrganizationRepository;
import org.tessera.orchestrator.tenancy.persistence.OrganizationRow;
import org.tessera.orchestrator.tenancy.persistence.UserRepository;
import org.tessera.orchestrator.tenancy.persistence.UserRow;

/**
 * Setting limits (docs/organizations.md, Quotas and limits): super-admins set an organization's, its admins set
 * their users'. A {@code PUT} names every limit of its level, null for unlimited. Lowering a limit below what is used
 * refuses later submissions and never touches accepted runs; raising a parallel-run limit admits waiting runs.
 */
@Path("/api/admin/v1")
@Tag(name = "Admin")
@SecurityRequirement(name = "OAuth2AuthorizationCodeBearer")
@Produces(MediaType.APPLICATION_JSON)
public class LimitsAdminResource {

    @Inject
    JsonWebToken token;

    @Inject
    Directory directory;

    @Inject
    DataSource dataSource;

    @Inject
    OrganizationRepository organizations;

    @Inject
    UserRepository users;

    @Inject
    UsageReports reports;

    @Inject
    Event<LimitsChanged> limitsChanged;

    @Inject
    Clock clock;

    @ConfigProperty(name = "tessera.orchestrator.max-items-per-run", defaultValue = "500")
    int platformMaxWsisPerRun;

    @GET
    @Path("/organizations/{organization_id}/limits")
    @Operation(summary = "An organization's limits", description = "Its admins and super-admins read them.")
    @APIResponse(
            responseCode = "401",
            description = "Token missing, invalid, of another organization or without a required second factor")
    @APIResponse(
            responseCode = "403",
            description =
                    "The caller may not do this (AUTH.ADMIN_REQUIRED, AUTH.SUPER_ADMIN_REQUIRED) or is not registered")
    public QuotaViews.OrganizationLimitsChange organizationLimits(@PathParam("organization_id") String organizationId) {
        caller().requireAdminOf(organizationId);
        OrganizationRow organization = Transactions.inNew(dataSource, c -> reports.existing(c, organizationId));
        return new QuotaViews.OrganizationLimitsChange(organizationId, UsageReports.limits(organization));
    }

    @PUT
    @Path("/organizations/{organization_id}/limits")
    @Consumes(MediaType.WILDCARD)
    @Operation(
            summary = "Set an organization's limits",
            description = "Super-admins only; every limit must be present, null for unlimited.")
    @APIResponse(
            responseCode = "401",
            description = "Token missing, invalid, of another organization or without a required second factor")
    @APIResponse(
            responseCode = "403",
            description =
                    "The caller may not do this (AUTH.ADMIN_REQUIRED, AUTH.SUPER_ADMIN_REQUIRED) or is not registered")
    public QuotaViews.OrganizationLimitsChange setOrganizationLimits(
            @PathParam("organization_id") String organizationId, byte[] body) {
        caller().requireSuperAdmin();
        Map<String, Integer> limits = LimitFields.read(
                body,
                LimitFields.fields(
                        "monthly_wsi_limit", new LimitFields.Bounds(0, Integer.MAX_VALUE),
                        "max_wsis_per_run", new LimitFields.Bounds(1, platformMaxWsisPerRun),
                        "max_parallel_runs", new LimitFields.Bounds(1, Integer.MAX_VALUE),
                        "max_users", new LimitFields.Bounds(0, Integer.MAX_VALUE)));
        Instant now = clock.instant();
        OrganizationRow changed = Transactions.inNew(dataSource, c -> {
            OrganizationRow o = organizations
                    .lock(c, organizationId)
                    .orElseThrow(() -> ApiException.notFound("organization " + organizationId + " does not exist"));
            OrganizationRow updated = new OrganizationRow(
                    o.organizationId(),
                    o.name(),
                    o.displayName(),
                    o.requireMfa(),
                    o.bucketName(),
                    o.bucketProtocol(),
                    o.bucketHmacAccessKeyId(),
                    o.bucketHmacSecretAccessKey(),
                    limits.get("max_users"),
                    limits.get("monthly_wsi_limit"),
                    limits.get("max_wsis_per_run"),
                    limits.get("max_parallel_runs"),
                    o.domains(),
                    o.createdAt(),
                    now);
            organizations.update(c, updated);
            return updated;
        });
        limitsChanged.fire(new LimitsChanged(organizationId));
        return new QuotaViews.OrganizationLimitsChange(organizationId, UsageReports.limits(changed));
    }

    @GET
    @Path("/organizations/{organization_id}/users/{user_id}/limits")
    @Operation(summary = "A user's limits", description = "The user and the organization's admins read them.")
    @APIResponse(
            responseCode = "401",
            description = "Token missing, invalid, of another organization or without a required second factor")
    @APIResponse(
            responseCode = "403",
            description =
                    "The caller may not do this (AUTH.ADMIN_REQUIRED, AUTH.SUPER_ADMIN_REQUIRED) or is not registered")
    public QuotaViews.UserLimitsChange userLimits(
            @PathParam("organization_id") String organizationId, @PathParam("user_id") String userId) {
        Caller caller = caller();
        if (!caller.userId().equals(userId) || !caller.organizationId().equals(organizationId)) {
            caller.requireAdminOf(organizationId);
        }
        UserRow user = Transactions.inNew(dataSource, c -> reports.memberOf(c, organizationId, userId));
        return new QuotaViews.UserLimitsChange(organizationId, userId, UsageReports.limits(user));
    }

    @PUT
    @Path("/organizations/{organization_id}/users/{user_id}/limits")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Set a user's limits", description = "Admins of the organization and super-admins.")
    @APIResponse(
            responseCode = "401",
            description = "Token missing, invalid, of another organization or without a required second factor")
    @APIResponse(
            responseCode = "403",
            description =
                    "The caller may not do this (AUTH.ADMIN_REQUIRED, AUTH.SUPER_ADMIN_REQUIRED) or is not registered")
    public QuotaViews.UserLimitsChange setUserLimits(
            @PathParam("organization_id") String organizationId, @PathParam("user_id") String userId, byte[] body) {
        caller().requireAdminOf(organizationId);
        Map<String, Integer> limits = LimitFields.read(
                body,
                LimitFields.fields(
                        "monthly_wsi_limit", new LimitFields.Bounds(0, Integer.MAX_VALUE),
                        "max_parallel_runs", new LimitFields.Bounds(1, Integer.MAX_VALUE)));
        Instant now = clock.instant();
        UserRow changed = Transactions.inNew(dataSource, c -> {
            // Limit changes of an organization and its users take turns with its quota checks.
            organizations.lock(c, organizationId);
            UserRow u = reports.memberOf(c, organizationId, userId);
            UserRow updated = new UserRow(
                    u.userId(),
                    u.organizationId(),
                    u.subject(),
                    u.email(),
                    u.role(),
                    u.name(),
                    u.givenName(),
                    u.familyName(),
                    limits.get("monthly_wsi_limit"),
                    limits.get("max_parallel_runs"),
                    u.createdAt(),
                    now,
                    u.removedAt());
            users.update(c, updated);
            return updated;
        });
        limitsChanged.fire(new LimitsChanged(organizationId));
        return new QuotaViews.UserLimitsChange(organizationId, userId, UsageReports.limits(changed));
    }

    private Caller caller() {
        return directory.caller(token);
    }
}
