package org.tessera.orchestrator.tenancy;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotAuthorizedException;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Resolves callers from their token and the seeded organizations and users. */
@ApplicationScoped
public class Directory {

    @Inject
    SeedConfig seed;

    public Caller caller(JsonWebToken token) {
        String subject = token.getSubject();
        if (subject == null || subject.isBlank()) {
            throw new NotAuthorizedException("token without sub", "Bearer");
        }
        Object claim = token.getClaim("org_id");
        String organization = claim == null ? null : claimText(claim);
        if (organization == null) {
            organization = user(subject).map(SeedConfig.User::organization).orElse(null);
        }
        return new Caller(subject, organization);
    }

    public Optional<SeedConfig.User> user(String userId) {
        return Optional.ofNullable(seed.users().get(userId));
    }

    public Optional<SeedConfig.Organization> organization(String organizationId) {
        return organizationId == null
                ? Optional.empty()
                : Optional.ofNullable(seed.organizations().get(organizationId));
    }

    private static String claimText(Object claim) {
        String text = claim instanceof jakarta.json.JsonString json ? json.getString() : claim.toString();
        return text.isBlank() ? null : text;
    }
}
