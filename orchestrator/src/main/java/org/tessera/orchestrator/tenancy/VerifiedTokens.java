package org.tessera.orchestrator.tenancy;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKey;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The platform's bearer tokens, verified once and then remembered for a short while: clients send the same token with
 * every request for as long as it lives (a poll every few seconds, a 500-item submission), and checking its RSA
 * signature, issuer, audience and times again each time was a tenth of the orchestrator's work on a submission.
 *
 * <p>A remembered token is used again only while its {@code exp} (plus the configured clock skew) has not passed and
 * for at most {@link AuthConfig#verifiedTokenTtl()} after it was verified; then it is verified again, so a token
 * signed with a key the provider has since withdrawn stops working within that time. Tokens that fail are never
 * remembered. Everything decided from the token's claims and the platform's records (the registered user, their role,
 * the second factor) is still decided on every request.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class VerifiedTokens implements JWTParser {

    private final ConcurrentHashMap<String, Verified> verified = new ConcurrentHashMap<>();

    @Inject
    DefaultJWTParser verifier;

    @Inject
    Clock clock;

    @ConfigProperty(name = "mp.jwt.verify.clock.skew", defaultValue = "60")
    int clockSkewSeconds;

    @Inject
    AuthConfig config;

    private Duration ttl;
    private int capacity;

    /** A token that passed, and until when it may be used without checking it again. */
    private record Verified(JsonWebToken token, Instant usableUntil) {}

    VerifiedTokens() {}

    /** For tests: a cache in front of {@code verifier}. */
    VerifiedTokens(DefaultJWTParser verifier, Clock clock, int clockSkewSeconds, Duration ttl, int capacity) {
        this.verifier = verifier;
        this.clock = clock;
        this.clockSkewSeconds = clockSkewSeconds;
        this.ttl = ttl;
        this.capacity = capacity;
    }

    @PostConstruct
    void configure() {
        ttl = config.verifiedTokenTtl();
        capacity = config.verifiedTokens();
    }

    @Override
    public JsonWebToken parse(String bearerToken) throws ParseException {
        Instant now = clock.instant();
        Verified known = verified.get(bearerToken);
        if (known != null && now.isBefore(known.usableUntil())) {
            return known.token();
        }
        JsonWebToken token = verifier.parse(bearerToken);
        Instant until = now.plus(ttl);
        if (token.getExpirationTime() > 0) {
            Instant expires = Instant.ofEpochSecond(token.getExpirationTime()).plusSeconds(clockSkewSeconds);
            until = until.isBefore(expires) ? until : expires;
        }
        if (verified.size() >= capacity) {
            verified.values().removeIf(entry -> !now.isBefore(entry.usableUntil()));
            if (verified.size() >= capacity) {
                verified.clear();
            }
        }
        verified.put(bearerToken, new Verified(token, until));
        return token;
    }

    @Override
    public JsonWebToken parse(String token, JWTAuthContextInfo context) throws ParseException {
        return verifier.parse(token, context);
    }

    @Override
    public JsonWebToken verify(String token, PublicKey key) throws ParseException {
        return verifier.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, SecretKey key) throws ParseException {
        return verifier.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, String secret) throws ParseException {
        return verifier.verify(token, secret);
    }

    @Override
    public JsonWebToken decrypt(String token, PrivateKey key) throws ParseException {
        return verifier.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, SecretKey key) throws ParseException {
        return verifier.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, String secret) throws ParseException {
        return verifier.decrypt(token, secret);
    }

    @Override
    public JsonWebToken parseOnly(String token) throws ParseException {
        return verifier.parseOnly(token);
    }
}
