package org.tessera.orchestrator.tenancy;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** {@code GET /v1/me}: the caller and their organization, from the token and the seed configuration. */
@Path("/api/v1/me")
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record UserReadResponse(
            String id,
            String email,
            Boolean emailVerified,
            String name,
            String givenName,
            String familyName,
            String nickname,
            String picture,
            Instant updatedAt) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record OrganizationReadResponse(
            String id,
            String name,
            String displayName,
            String aignosticsBucketHmacAccessKeyId,
            String aignosticsBucketHmacSecretAccessKey,
            String aignosticsBucketName,
            String aignosticsBucketProtocol,
            String aignosticsLogfireToken,
            String aignosticsSentryDsn) {}

    public record MeReadResponse(UserReadResponse user, OrganizationReadResponse organization) {}

    @Inject
    JsonWebToken token;

    @Inject
    Directory directory;

    @GET
    public MeReadResponse me() {
        Caller caller = directory.caller(token);
        Optional<SeedConfig.User> seeded = directory.user(caller.userId());
        UserReadResponse user = new UserReadResponse(
                caller.userId(),
                seeded.flatMap(SeedConfig.User::email).orElse(claim("email")),
                seeded.isPresent() ? Boolean.TRUE : null,
                seeded.flatMap(SeedConfig.User::name).orElse(claim("name")),
                seeded.flatMap(SeedConfig.User::givenName).orElse(claim("given_name")),
                seeded.flatMap(SeedConfig.User::familyName).orElse(claim("family_name")),
                claim("nickname"),
                claim("picture"),
                null);
        Optional<SeedConfig.Organization> org = directory.organization(caller.organizationId());
        // The spec requires the bucket and telemetry fields as strings; unconfigured ones are empty.
        OrganizationReadResponse organization = new OrganizationReadResponse(
                caller.organizationId() == null ? "" : caller.organizationId(),
                org.map(SeedConfig.Organization::name).orElse(null),
                org.flatMap(SeedConfig.Organization::displayName)
                        .or(() -> org.map(SeedConfig.Organization::name))
                        .orElse(null),
                org.flatMap(SeedConfig.Organization::bucketHmacAccessKeyId).orElse(""),
                org.flatMap(SeedConfig.Organization::bucketHmacSecretAccessKey).orElse(""),
                org.map(SeedConfig.Organization::bucketName).orElse(""),
                org.map(SeedConfig.Organization::bucketProtocol).orElse(""),
                "",
                "");
        return new MeReadResponse(user, organization);
    }

    private String claim(String name) {
        Object value = token.getClaim(name);
        if (value == null) {
            return null;
        }
        return value instanceof jakarta.json.JsonString json ? json.getString() : value.toString();
    }
}
