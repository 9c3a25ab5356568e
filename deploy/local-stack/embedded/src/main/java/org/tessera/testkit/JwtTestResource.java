package org.tessera.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Makes a {@code @QuarkusTest} trust tokens from a shared {@link TokenIssuer}; tests mint tokens with
 * {@code JwtTestResource.issuer().token(sub, orgId, role)}.
 */
public class JwtTestResource implements QuarkusTestResourceLifecycleManager {

    private static TokenIssuer issuer;
    private static Path jwks;

    public static synchronized TokenIssuer issuer() {
        if (issuer == null) {
            issuer = new TokenIssuer();
            try {
                jwks = issuer.writeJwks(
                        Files.createTempDirectory("tessera-jwks-").resolve("jwks.json"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return issuer;
    }

    @Override
    public Map<String, String> start() {
        TokenIssuer shared = issuer();
        return shared.verificationConfig(jwks);
    }

    @Override
    public void stop() {
        // Shared across test classes.
    }
}
