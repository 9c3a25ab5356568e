package org.tessera.testkit;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A local identity provider: an RSA key pair whose public half is published as a JWKS file, and RS256 access tokens
 * with the claims clients of the API expect ({@code sub}, {@code iss}, {@code aud}, {@code azp}, {@code scope},
 * {@code org_id}, {@code <audience>/role}). For tests and the local stack only.
 */
public final class TokenIssuer {

    public static final String DEFAULT_ISSUER = "https://tessera.local/";
    public static final String DEFAULT_AUDIENCE = "https://tessera-api";

    private final RSAKey key;
    private final String issuer;
    private final String audience;
    private final Clock clock;

    public TokenIssuer(String issuer, String audience, Clock clock) {
        try {
            this.key = new RSAKeyGenerator(2048)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256)
                    .keyID(UUID.randomUUID().toString())
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate RSA key", e);
        }
        this.issuer = issuer;
        this.audience = audience;
        this.clock = clock;
    }

    public TokenIssuer() {
        this(DEFAULT_ISSUER, DEFAULT_AUDIENCE, Clock.systemUTC());
    }

    public String issuer() {
        return issuer;
    }

    public String audience() {
        return audience;
    }

    /** The public key set, as served by an identity provider's {@code jwks_uri}. */
    public String jwksJson() {
        return new JWKSet(key.toPublicJWK()).toString();
    }

    /** Writes the public key set to a file and returns its path. */
    public Path writeJwks(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.writeString(file, jwksJson(), StandardCharsets.UTF_8);
    }

    /** The MicroProfile JWT settings that make a service trust this issuer's tokens. */
    public Map<String, String> verificationConfig(Path jwksFile) {
        return Map.of(
                "mp.jwt.verify.publickey.location",
                        jwksFile.toAbsolutePath().toUri().toString(),
                "mp.jwt.verify.issuer", issuer,
                "mp.jwt.verify.audiences", audience);
    }

    /** A one-hour access token for a user of an organization, with role {@code member} or {@code admin}. */
    public String token(String subject, String organizationId, String role) {
        return token(subject, organizationId, role, Duration.ofHours(1), Map.of());
    }

    public String token(
            String subject, String organizationId, String role, Duration lifetime, Map<String, Object> extraClaims) {
        Instant now = clock.instant();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject(subject)
                .issuer(issuer)
                .audience(audience)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now.minusSeconds(5)))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(UUID.randomUUID().toString())
                .claim("azp", "tessera-local-client")
                .claim("scope", "openid profile email offline_access")
                .claim("org_id", organizationId)
                .claim(audience + "/role", role)
                // Signed in with a password and a one-time code: organizations require a second factor.
                .claim("amr", List.of("pwd", "otp"));
        extraClaims.forEach(claims::claim);
        try {
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.RS256)
                            .keyID(key.getKeyID())
                            .build(),
                    claims.build());
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign token", e);
        }
    }
}
