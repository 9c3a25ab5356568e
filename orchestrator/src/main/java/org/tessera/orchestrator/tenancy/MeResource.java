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
import javax.sql.DataSource;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.tessera.orchestrator.common.persistence.Transactions;
import org.tessera.orchestrator.tenancy.persistence.OrganizationRepository;
import org.tessera.orchestrator.tenancy.persistence.OrganizationRow;
import org.tessera.orchestrator.tenancy.persistence.UserRepository;
import org.tessera.orchestrator.tenancy.persistence.UserRow;

/** {@code GET /v1/me}: the caller and their organization, from the platform's records. */
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

    @Inject
    DataSource dataSource;

    @Inject
    UserRepository users;

    @Inject
    OrganizationRepository organizations;

    @GET
    public MeReadResponse me() {
        Caller caller = directory.caller(token);
        Member member = Transactions.inNew(
                dataSource,
                c -> new Member(
                        users.find(c, caller.userId()).orElseThrow(),
                        organizations.find(c, caller.organizationId()).orElseThrow()));
        UserRow user = member.user();
        OrganizationRow org = member.organization();
        UserReadResponse me = new UserReadResponse(
                user.userId(),
                user.email(),
                emailVerified(user.email()),
                Optional.ofNullable(user.name()).orElse(claim("name")),
                Optional.ofNullable(user.givenName()).orElse(claim("given_name")),
                Optional.ofNullable(user.familyName()).orElse(claim("family_name")),
                claim("nickname"),
                claim("picture"),
                user.updatedAt());
        // The spec requires the bucket and telemetry fields as strings; unconfigured ones are empty.
        OrganizationReadResponse organization = new OrganizationReadResponse(
                org.organizationId(),
                org.name(),
                Optional.ofNullable(org.displayName()).orElse(org.name()),
                Optional.ofNullable(org.bucketHmacAccessKeyId()).orElse(""),
                Optional.ofNullable(org.bucketHmacSecretAccessKey()).orElse(""),
                Optional.ofNullable(org.bucketName()).orElse(""),
                Optional.ofNullable(org.bucketProtocol()).orElse(""),
                "",
                "");
        return new MeReadResponse(me, organization);
    }

    /**
     * Whether the identity provider verified the user's email, as far as this token tells: only a token that carries
     * the same address says so; otherwise unknown (null).
     */
    private Boolean emailVerified(String email) {
        String claimed = claim("email");
        String verified = claim("email_verified");
        if (claimed == null || !claimed.equalsIgnoreCase(email) || verified == null) {
            return null;
        }
        // Some providers send the flag as a string.
        return "true".equalsIgnoreCase(verified);
    }

    private String claim(String name) {
        Object value = token.getClaim(name);
        if (value == null) {
            return null;
        }
        return value instanceof jakarta.json.JsonString json ? json.getString() : value.toString();
    }

    private record Member(UserRow user, OrganizationRow organization) {}
}
