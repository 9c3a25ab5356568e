package org.tessera.orchestrator.run.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.tessera.orchestrator.common.FieldError;
import org.tessera.orchestrator.common.Json;
import org.tessera.orchestrator.common.api.ApiException;
import org.tessera.orchestrator.common.api.ValidationFailedException;
import org.tessera.orchestrator.common.persistence.Transactions;
import org.tessera.orchestrator.tenancy.Caller;
import org.tessera.orchestrator.tenancy.Directory;
import org.tessera.orchestrator.tenancy.persistence.ErrorThresholdOverride;
import org.tessera.orchestrator.tenancy.persistence.OrganizationRepository;

/**
 * {@code /api/admin/v1/organizations/{organization_id}/run-rules}: an organization's override of the error threshold
 * its runs are cancelled at. Super-admins set it; the organization's admins may read it. A part left null (or out)
 * keeps the application version's value; changes apply to runs admitted afterwards.
 */
@Path("/api/admin/v1")
@Tag(name = "Admin")
@SecurityRequirement(name = "OAuth2AuthorizationCodeBearer")
@Produces(MediaType.APPLICATION_JSON)
public class RunRulesAdminResource {

    /** The fields a body may carry. */
    private static final Set<String> FIELDS = Set.of("min_failed_items", "max_failed_percent");

    /**
     * @param minFailedItems failures every run may have, however small; null: the application version's
     * @param maxFailedPercent share of a run's items that may fail, in percent (100 turns cancelling off); null: the
     *     application version's
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record RunRulesResponse(String organizationId, Integer minFailedItems, Integer maxFailedPercent) {}

    @Inject
    JsonWebToken token;

    @Inject
    Directory directory;

    @Inject
    DataSource dataSource;

    @Inject
    OrganizationRepository organizations;

    @Inject
    Clock clock;

    @GET
    @Path("/organizations/{organization_id}/run-rules")
    @Operation(
            summary = "An organization's run rules",
            description =
                    "The error-threshold override; null fields fall back to the application version's. Super-admins and the organization's admins.")
    @APIResponse(
            responseCode = "401",
            description = "Token missing, invalid, of another organization or without a required second factor")
    @APIResponse(
            responseCode = "403",
            description =
                    "The caller may not do this (AUTH.ADMIN_REQUIRED, AUTH.SUPER_ADMIN_REQUIRED) or is not registered")
    public RunRulesResponse get(@PathParam("organization_id") String organizationId) {
        directory.caller(token).requireAdminOf(organizationId);
        ErrorThresholdOverride override = Transactions.inNew(
                        dataSource, c -> organizations.errorThresholdOverride(c, organizationId))
                .orElseThrow(() -> notFound(organizationId));
        return response(organizationId, override);
    }

    @PUT
    @Path("/organizations/{organization_id}/run-rules")
    @Consumes(MediaType.WILDCARD)
    @Operation(
            summary = "Set an organization's run rules",
            description = "Super-admins only; applies to runs admitted afterwards.")
    @APIResponse(
            responseCode = "401",
            description = "Token missing, invalid, of another organization or without a required second factor")
    @APIResponse(
            responseCode = "403",
            description =
                    "The caller may not do this (AUTH.ADMIN_REQUIRED, AUTH.SUPER_ADMIN_REQUIRED) or is not registered")
    public RunRulesResponse put(@PathParam("organization_id") String organizationId, byte[] body) {
        Caller caller = directory.caller(token);
        caller.requireSuperAdmin();
        ErrorThresholdOverride override = parse(body);
        boolean found = Transactions.inNew(
                dataSource,
                c -> organizations.lock(c, organizationId).isPresent()
                        && organizations.setErrorThresholdOverride(c, organizationId, override, clock.instant()));
        if (!found) {
            throw notFound(organizationId);
        }
        return response(organizationId, override);
    }

    static ErrorThresholdOverride parse(byte[] body) {
        JsonNode json;
        try {
            json = Json.parse(body == null ? new byte[0] : body);
        } catch (JsonProcessingException e) {
            throw ValidationFailedException.of(FieldError.body(
                    List.of(), "json_invalid", "the request body is not valid JSON: " + e.getOriginalMessage()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        if (json == null || !json.isObject()) {
            throw ValidationFailedException.of(
                    FieldError.body(List.of(), "model_attributes_type", "the request body must be a JSON object"));
        }
        List<FieldError> errors = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : json.properties()) {
            if (!FIELDS.contains(field.getKey())) {
                errors.add(FieldError.body(
                        List.of(field.getKey()),
                        "extra_forbidden",
                        "unknown field; run rules are "
                                + FIELDS.stream().sorted().toList()));
            }
        }
        Integer min = integer(json, "min_failed_items", 0, Integer.MAX_VALUE, errors);
        Integer percent = integer(json, "max_failed_percent", 0, 100, errors);
        if (!errors.isEmpty()) {
            throw new ValidationFailedException(errors);
        }
        return new ErrorThresholdOverride(min, percent);
    }

    private static Integer integer(JsonNode json, String field, int min, int max, List<FieldError> errors) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.canConvertToExactIntegral() || !value.canConvertToInt()) {
            errors.add(FieldError.body(List.of(field), "int_type", "must be an integer or null"));
            return null;
        }
        int number = value.asInt();
        if (number < min || number > max) {
            errors.add(FieldError.body(
                    List.of(field),
                    number < min ? "greater_than_equal" : "less_than_equal",
                    max == Integer.MAX_VALUE
                            ? "must be at least " + min + ", got " + number
                            : "must be " + min + ".." + max + ", got " + number));
            return null;
        }
        return number;
    }

    private static RunRulesResponse response(String organizationId, ErrorThresholdOverride override) {
        return new RunRulesResponse(organizationId, override.minFailedItems(), override.maxFailedPercent());
    }

    private static ApiException notFound(String organizationId) {
        return ApiException.notFound("organization " + organizationId + " not found");
    }
}
