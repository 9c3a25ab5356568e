package org.tessera.orchestrator.dashboard;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.tessera.contracts.ErrorCodes;

/**
 * What the dashboard (static files under {@code META-INF/resources/dashboard/}) needs before anyone signs in: where to
 * sign in ({@code GET /dashboard/config}, the OpenID Connect provider of the API's tokens) and the error codes in
 * words ({@code GET /dashboard/error-messages}). {@code /} leads to the dashboard.
 */
@Path("/")
public class DashboardResource {

    private static final byte[] ERROR_MESSAGES = readErrorMessages();

    @ConfigProperty(name = "tessera.dashboard.oidc.authorization-endpoint")
    Optional<String> authorizationEndpoint;

    @ConfigProperty(name = "tessera.dashboard.oidc.token-endpoint")
    Optional<String> tokenEndpoint;

    @ConfigProperty(name = "tessera.dashboard.oidc.client-id", defaultValue = "tessera-dashboard")
    String clientId;

    @ConfigProperty(name = "tessera.dashboard.oidc.scope", defaultValue = "openid profile email")
    String scope;

    @ConfigProperty(name = "tessera.dashboard.oidc.audience")
    Optional<String> audience;

    @ConfigProperty(name = "mp.jwt.verify.issuer")
    String issuer;

    @GET
    public Response root() {
        return Response.seeOther(URI.create("/dashboard/")).build();
    }

    @GET
    @Path("dashboard")
    public Response dashboardWithoutSlash() {
        return Response.seeOther(URI.create("/dashboard/")).build();
    }

    @GET
    @Path("dashboard/config")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("issuer", issuer);
        config.put("authorization_endpoint", authorizationEndpoint.orElse(null));
        config.put("token_endpoint", tokenEndpoint.orElse(null));
        config.put("client_id", clientId);
        config.put("scope", scope);
        config.put("audience", audience.orElse(null));
        config.put("api", "/api/v1");
        config.put("admin_api", "/api/admin/v1");
        config.put("events", "/api/dashboard/v1/events");
        config.put("viewer", "/viewer/");
        return config;
    }

    @GET
    @Path("dashboard/error-messages")
    @Produces(MediaType.APPLICATION_JSON)
    public byte[] errorMessages() {
        return ERROR_MESSAGES;
    }

    private static byte[] readErrorMessages() {
        try (InputStream in = ErrorCodes.class.getResourceAsStream("error-messages.json")) {
            if (in == null) {
                throw new IllegalStateException("error-messages.json is missing beside ErrorCodes");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
