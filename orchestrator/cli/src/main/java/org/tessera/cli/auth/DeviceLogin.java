package org.tessera.cli.auth;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.tessera.cli.CliException;
import org.tessera.cli.ExitCode;
import org.tessera.cli.api.ApiClient;

/**
 * The OAuth 2.0 device authorization grant (RFC 8628): ask the identity provider for a device code, show the person
 * where to approve it, and poll the token endpoint until they did. The endpoints come from the provider's {@code
 * .well-known/openid-configuration} when it publishes {@code device_authorization_endpoint}, otherwise from the local
 * stack's paths ({@code /device_authorization}, {@code /device/token}).
 */
public final class DeviceLogin {

    public static final String CLIENT_ID = "tessera-cli";
    static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:device_code";

    /** What the person must do: open {@code verificationUri} and enter {@code userCode}. */
    public record Prompt(String userCode, URI verificationUri, URI verificationUriComplete, Duration expiresIn) {}

    /** The token, its expiry and subject as the token says. */
    public record Token(String accessToken, Instant expiresAt, String subject) {}

    private record Endpoints(URI deviceAuthorization, URI token) {}

    private final URI issuer;
    private final HttpClient http;
    private final Clock clock;

    public DeviceLogin(URI issuer, Clock clock) {
        this.issuer = issuer;
        this.clock = clock;
        this.http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Runs the whole grant; {@code prompt} is told where to approve, once, before polling starts. */
    public Token login(Consumer<Prompt> prompt) {
        Endpoints endpoints = discover();
        JsonNode grant = post(
                endpoints.deviceAuthorization(),
                Map.of("client_id", CLIENT_ID, "scope", "openid profile email offline_access"));
        if (!grant.path("device_code").isTextual()) {
            throw new CliException(
                    ExitCode.AUTH, endpoints.deviceAuthorization() + " did not answer a device code: " + grant);
        }
        String deviceCode = grant.path("device_code").asText();
        URI verification = URI.create(grant.path("verification_uri").asText());
        URI complete = grant.hasNonNull("verification_uri_complete")
                ? URI.create(grant.path("verification_uri_complete").asText())
                : null;
        Duration lifetime = Duration.ofSeconds(grant.path("expires_in").asLong(600));
        prompt.accept(new Prompt(grant.path("user_code").asText(), verification, complete, lifetime));

        Duration interval =
                Duration.ofSeconds(Math.max(1, grant.path("interval").asLong(5)));
        Instant giveUp = clock.instant().plus(lifetime);
        while (clock.instant().isBefore(giveUp)) {
            sleep(interval);
            JsonNode answer = post(
                    endpoints.token(),
                    Map.of("grant_type", GRANT_TYPE, "device_code", deviceCode, "client_id", CLIENT_ID));
            if (answer.path("access_token").isTextual()) {
                String token = answer.path("access_token").asText();
                JsonNode claims = claims(token);
                Instant expiresAt = claims.has("exp")
                        ? Instant.ofEpochSecond(claims.path("exp").asLong())
                        : clock.instant().plusSeconds(answer.path("expires_in").asLong(3600));
                return new Token(token, expiresAt, claims.path("sub").asText(null));
            }
            String error = answer.path("error").asText("");
            switch (error) {
                case "authorization_pending" -> {}
                case "slow_down" -> interval = interval.plusSeconds(5);
                case "access_denied" -> throw new CliException(ExitCode.AUTH, "sign-in was denied");
                case "expired_token" ->
                    throw new CliException(ExitCode.AUTH, "the code expired before it was approved; run login again");
                default ->
                    throw new CliException(
                            ExitCode.AUTH,
                            "the identity provider refused the sign-in: " + error + " "
                                    + answer.path("error_description").asText(""));
            }
        }
        throw new CliException(ExitCode.AUTH, "the code expired before it was approved; run login again");
    }

    /** The claims of a JWT, read without verifying it: the platform verifies; the client only shows them. */
    public static JsonNode claims(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length < 2) {
            return ApiClient.JSON.createObjectNode();
        }
        try {
            return ApiClient.JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IOException | IllegalArgumentException e) {
            return ApiClient.JSON.createObjectNode();
        }
    }

    private Endpoints discover() {
        URI base = URI.create(issuer.toString().endsWith("/") ? issuer.toString() : issuer + "/");
        Endpoints fallback = new Endpoints(base.resolve("device_authorization"), base.resolve("device/token"));
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(base.resolve(".well-known/openid-configuration"))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return fallback;
            }
            JsonNode configuration = ApiClient.JSON.readTree(response.body());
            if (configuration.path("device_authorization_endpoint").isTextual()
                    && configuration.path("token_endpoint").isTextual()) {
                return new Endpoints(
                        URI.create(configuration
                                .path("device_authorization_endpoint")
                                .asText()),
                        URI.create(configuration.path("token_endpoint").asText()));
            }
            return fallback;
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCode.INTERRUPTED, "interrupted");
        }
    }

    private JsonNode post(URI endpoint, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(endpoint)
                            .timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .header("Accept", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 404) {
                throw new CliException(
                        ExitCode.AUTH,
                        "the identity provider at " + issuer + " has no device sign-in (" + endpoint.getPath()
                                + " answered 404); pass a token with --token or TESSERA_TOKEN instead");
            }
            try {
                return ApiClient.JSON.readTree(response.body());
            } catch (IOException e) {
                throw new CliException(
                        ExitCode.AUTH,
                        endpoint + " answered " + response.statusCode() + " without JSON: " + response.body());
            }
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCode.INTERRUPTED, "interrupted");
        }
    }

    private CliException unreachable(IOException e) {
        return new CliException(ExitCode.UNAVAILABLE, "cannot reach the identity provider at " + issuer + ": " + e, e);
    }

    private static void sleep(Duration interval) {
        try {
            Thread.sleep(interval);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCode.INTERRUPTED, "interrupted");
        }
    }
}
