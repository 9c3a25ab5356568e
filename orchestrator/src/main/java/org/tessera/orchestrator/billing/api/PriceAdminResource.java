package org.tessera.orchestrator.billing.api;

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
import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.tessera.orchestrator.application.ApplicationCatalogue;
import org.tessera.orchestrator.application.domain.Application;
import org.tessera.orchestrator.billing.BillingSettings;
import org.tessera.orchestrator.billing.Prices;
import org.tessera.orchestrator.billing.domain.Micros;
import org.tessera.orchestrator.common.FieldError;
import org.tessera.orchestrator.common.Json;
import org.tessera.orchestrator.common.api.ApiException;
import org.tessera.orchestrator.common.api.ValidationFailedException;
import org.tessera.orchestrator.common.persistence.Transactions;
import org.tessera.orchestrator.tenancy.Caller;
import org.tessera.orchestrator.tenancy.Directory;
import org.tessera.orchestrator.tenancy.domain.Role;

/**
 * The price per WSI of an application version (docs/organizations.md, Cost): super-admins set it, admins read it.
 * Items that succeed after a change are charged at the new price; entries already written keep theirs.
 */
@Path("/api/admin/v1")
@Tag(name = "Admin")
@SecurityRequirement(name = "OAuth2AuthorizationCodeBearer")
@Produces(MediaType.APPLICATION_JSON)
public class PriceAdminResource {

    /** A sanity bound on one WSI's price, so that a typo cannot charge a fortune. */
    static final BigDecimal MAX_PRICE_PER_WSI = new BigDecimal("1000000");

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record PriceView(
            String applicationId,
            String versionNumber,
            String pricePerWsi,
            long pricePerWsiMicros,
            String currency,
            String source) {}

    @Inject
    JsonWebToken token;

    @Inject
    Directory directory;

    @Inject
    DataSource dataSource;

    @Inject
    ApplicationCatalogue catalogue;

    @Inject
    Prices prices;

    @Inject
    BillingSettings settings;

    @Inject
    Clock clock;

    @GET
    @Path("/applications/{application_id}/versions/{version}/price")
    @Operation(
            summary = "The price per WSI of an application version",
            description = "Admins read it; the catalogue's list price until a super-admin sets one.")
    @APIResponse(
            responseCode = "401",
            description = "Token missing, invalid, of another organization or without a required second factor")
    @APIResponse(
            responseCode = "403",
            description =
                    "The caller may not do this (AUTH.ADMIN_REQUIRED, AUTH.SUPER_ADMIN_REQUIRED) or is not registered")
    public PriceView get(@PathParam("application_id") String applicationId, @PathParam("version") String version) {
        Caller caller = directory.caller(token);
        if (caller.role() == Role.MEMBER) {
            throw ApiException.forbidden("AUTH.ADMIN_REQUIRED", "only admins and super-admins may read prices");
        }
        requireVersion(applicationId, version);
        return view(Transactions.inNew(dataSource, c -> prices.of(c, applicationId, version)));
    }

    @PUT
    @Path("/applications/{application_id}/versions/{version}/price")
    @Consumes(MediaType.WILDCARD)
    @Operation(
            summary = "Set the price per WSI of an application version",
            description = "Super-admins only; from then on succeeded items are charged at it.")
    @APIResponse(
            responseCode = "401",
            description = "Token missing, invalid, of another organization or without a required second factor")
    @APIResponse(
            responseCode = "403",
            description =
                    "The caller may not do this (AUTH.ADMIN_REQUIRED, AUTH.SUPER_ADMIN_REQUIRED) or is not registered")
    public PriceView put(
            @PathParam("application_id") String applicationId, @PathParam("version") String version, byte[] body) {
        Caller caller = directory.caller(token);
        caller.requireSuperAdmin();
        requireVersion(applicationId, version);
        long micros = pricePerWsiMicros(body);
        return view(Transactions.inNew(
                dataSource, c -> prices.set(c, applicationId, version, micros, caller.userId(), clock.instant())));
    }

    private void requireVersion(String applicationId, String version) {
        Application application = catalogue
                .application(applicationId)
                .orElseThrow(() -> ApiException.notFound("application " + applicationId + " does not exist"));
        if (application.version(version).isEmpty()) {
            throw ApiException.notFound("application " + applicationId + " has no version " + version);
        }
    }

    private PriceView view(Prices.Price price) {
        return new PriceView(
                price.applicationId(),
                price.versionNumber(),
                Micros.format(price.perWsiMicros()),
                price.perWsiMicros(),
                settings.currency(),
                price.source().name().toLowerCase(Locale.ROOT));
    }

    /** {@code {"price_per_wsi": "4.00"}}: a decimal (text, or a JSON number) ≥ 0 with at most six decimal places. */
    static long pricePerWsiMicros(byte[] body) {
        JsonNode json;
        try {
            json = Json.parse(body == null ? new byte[0] : body);
        } catch (JsonProcessingException e) {
            throw invalid(List.of(), "json_invalid", "the request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        if (json == null || !json.isObject()) {
            throw invalid(List.of(), "model_attributes_type", "must be an object with price_per_wsi");
        }
        JsonNode value = json.get("price_per_wsi");
        if (value == null || value.isNull()) {
            throw invalid(List.of("price_per_wsi"), "missing", "is required, e.g. \"4.00\"");
        }
        BigDecimal price;
        try {
            price = value.isNumber() ? value.decimalValue() : new BigDecimal(value.textValue());
        } catch (NumberFormatException | NullPointerException e) {
            throw invalid(
                    List.of("price_per_wsi"), "decimal_parsing", "must be a decimal such as \"4.00\", got " + value);
        }
        if (price.signum() < 0) {
            throw invalid(List.of("price_per_wsi"), "greater_than_equal", "must be at least 0, got " + value);
        }
        if (price.compareTo(MAX_PRICE_PER_WSI) > 0) {
            throw invalid(
                    List.of("price_per_wsi"),
                    "less_than_equal",
                    "must be at most " + MAX_PRICE_PER_WSI.toPlainString() + ", got " + value);
        }
        try {
            return Micros.of(price);
        } catch (IllegalArgumentException e) {
            throw invalid(List.of("price_per_wsi"), "decimal_max_places", e.getMessage());
        }
    }

    private static ValidationFailedException invalid(List<Object> field, String type, String message) {
        return ValidationFailedException.of(FieldError.body(field, type, message));
    }
}
