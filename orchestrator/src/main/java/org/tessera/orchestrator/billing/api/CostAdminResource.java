package org.tessera.orchestrator.billing.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.Locale;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.tessera.orchestrator.common.FieldError;
import org.tessera.orchestrator.common.api.ValidationFailedException;
import org.tessera.orchestrator.quota.api.MonthParam;
import org.tessera.orchestrator.tenancy.Directory;

/**
 * {@code GET /api/admin/v1/organizations/{organization_id}/cost?month=YYYY-MM}: usage and cost of a month, per user
 * and per application version, for the organization's admins and super-admins; JSON, or CSV with
 * {@code Accept: text/csv} or {@code format=csv}.
 */
@Path("/api/admin/v1")
@Tag(name = "Admin")
@SecurityRequirement(name = "OAuth2AuthorizationCodeBearer")
public class CostAdminResource {

    static final String CSV = "text/csv";

    @Inject
    JsonWebToken token;

    @Inject
    Directory directory;

    @Inject
    CostReports reports;

    @Inject
    Clock clock;

    @GET
    @Path("/organizations/{organization_id}/cost")
    @Produces({MediaType.APPLICATION_JSON, CSV})
    @Operation(
            summary = "An organization's usage and cost in a month",
            description = "Per user and per application version; CSV with Accept: text/csv or format=csv.")
    @APIResponse(
            responseCode = "401",
            description = "Token missing, invalid, of another organization or without a required second factor")
    @APIResponse(
            responseCode = "403",
            description =
                    "The caller may not do this (AUTH.ADMIN_REQUIRED, AUTH.SUPER_ADMIN_REQUIRED) or is not registered")
    public Response cost(
            @PathParam("organization_id") String organizationId,
            @QueryParam("month") String month,
            @QueryParam("format") String format,
            @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        directory.caller(token).requireAdminOf(organizationId);
        boolean csv = wantsCsv(format, accept);
        CostReports.CostReport report = reports.organization(organizationId, MonthParam.parse(month, clock));
        if (csv) {
            return Response.ok(CostReports.csv(report), CSV + "; charset=utf-8")
                    .header(
                            "Content-Disposition",
                            "attachment; filename=\"cost-" + report.organizationId() + "-" + report.month() + ".csv\"")
                    .build();
        }
        return Response.ok(report, MediaType.APPLICATION_JSON).build();
    }

    private static boolean wantsCsv(String format, String accept) {
        if (format != null && !format.isBlank()) {
            return switch (format.trim().toLowerCase(Locale.ROOT)) {
                case "csv" -> true;
                case "json" -> false;
                default ->
                    throw ValidationFailedException.of(
                            FieldError.query("format", "enum", "must be json or csv, got '" + format + "'"));
            };
        }
        return accept != null
                && accept.toLowerCase(Locale.ROOT).contains(CSV)
                && !accept.toLowerCase(Locale.ROOT).contains(MediaType.APPLICATION_JSON);
    }
}
