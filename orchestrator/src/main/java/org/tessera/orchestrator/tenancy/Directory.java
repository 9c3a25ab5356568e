package org.tessera.orchestrator.tenancy;

import io.quarkus.arc.Arc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.Clock;
import java.util.Collection;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.tessera.orchestrator.common.api.ApiException;
import org.tessera.orchestrator.common.persistence.Transactions;
import org.tessera.orchestrator.tenancy.persistence.OrganizationRepository;
import org.tessera.orchestrator.tenancy.persistence.OrganizationRow;
import org.tessera.orchestrator.tenancy.persistence.UserRepository;
import org.tessera.orchestrator.tenancy.persistence.UserRow;

/**
 * Turns a verified token into a {@link Caller} from the platform's records (docs/organizations.md, Identity): the
 * token's {@code sub} names the user; organization and role come from the user's row; an {@code org_id} claim that
 * disagrees, a missing second factor where the organization requires one, or a user the platform does not know are
 * refused.
 */
@ApplicationScoped
public class Directory {

    @Inject
    DataSource dataSource;

    @Inject
    UserRepository users;

    @Inject
    OrganizationRepository organizations;

    @Inject
    AuthConfig auth;

    @Inject
    Clock clock;

    @Inject
    Instance<RequestCaller> requestCaller;

    /** The caller the token names; within an HTTP request, looked up once. */
    public Caller caller(JsonWebToken token) {
        if (!Arc.container().requestContext().isActive()) {
            return resolve(token);
        }
        RequestCaller current = requestCaller.get();
        Caller known = current.resolved(token.getRawToken());
        if (known != null) {
            return known;
        }
        Caller resolved = resolve(token);
        current.remember(token.getRawToken(), resolved);
        return resolved;
    }

    private Caller resolve(JsonWebToken token) {
        String subject = token.getSubject();
        if (subject == null || subject.isBlank()) {
            throw ApiException.unauthorized("AUTH.TOKEN_WITHOUT_SUBJECT", "the token has no sub claim");
        }
        Member member = Transactions.inNew(dataSource, c -> {
            Optional<UserRow> user = users.activeBySubject(c, subject);
            if (user.isEmpty()) {
                // Also when the subject belonged to a removed user: the same person may have been added again.
                user = bindAtFirstSignIn(c, subject, token);
            }
            if (user.isEmpty()) {
                return null;
            }
            return new Member(
                    user.get(),
                    organizations.find(c, user.get().organizationId()).orElseThrow());
        });
        if (member == null) {
            throw ApiException.forbidden(
                    "AUTH.USER_NOT_REGISTERED",
                    "user " + subject + " is not registered with the platform; an admin of your organization adds"
                            + " users");
        }
        String claimedOrganization = text(token.getClaim("org_id"));
        if (claimedOrganization != null
                && !claimedOrganization.equals(member.organization().organizationId())) {
            throw ApiException.unauthorized(
                    "AUTH.ORGANIZATION_MISMATCH",
                    "the token's org_id " + claimedOrganization + " is not the organization of user " + subject);
        }
        if (member.organization().requireMfa() && !provesSecondFactor(token)) {
            throw ApiException.unauthorized(
                    "AUTH.SECOND_FACTOR_REQUIRED",
                    "organization " + member.organization().organizationId() + " requires two-factor"
                            + " authentication: the token's " + auth.mfaClaim() + " claim shows no second factor");
        }
        return new Caller(
                member.user().userId(),
                member.organization().organizationId(),
                member.user().role());
    }

    /**
     * A user an admin added by email has no subject until they first sign in; a token whose verified email matches
     * binds its {@code sub} to that user, once.
     */
    private Optional<UserRow> bindAtFirstSignIn(java.sql.Connection c, String subject, JsonWebToken token)
            throws java.sql.SQLException {
        String email = text(token.getClaim("email"));
        Object verified = token.getClaim("email_verified");
        boolean emailVerified = verified == JsonValue.TRUE || Boolean.TRUE.equals(verified);
        if (email == null || !emailVerified) {
            return Optional.empty();
        }
        Optional<UserRow> invited = users.activeByEmail(c, email).filter(u -> u.subject() == null);
        if (invited.isEmpty() || !users.bindSubject(c, invited.get().userId(), subject, clock.instant())) {
            return Optional.empty();
        }
        return users.find(c, invited.get().userId());
    }

    private boolean provesSecondFactor(JsonWebToken token) {
        Set<String> methods = new HashSet<>();
        Object claim = token.getClaim(auth.mfaClaim());
        if (claim instanceof JsonArray array) {
            array.forEach(value -> methods.add(text(value)));
        } else if (claim instanceof Collection<?> values) {
            values.forEach(value -> methods.add(text(value)));
        } else if (claim != null) {
            methods.add(text(claim));
        }
        return methods.stream().anyMatch(auth.mfaValues()::contains);
    }

    private static String text(Object claim) {
        if (claim == null) {
            return null;
        }
        String text = claim instanceof JsonString json ? json.getString() : claim.toString();
        return text.isBlank() ? null : text;
    }

    private record Member(UserRow user, OrganizationRow organization) {}
}
