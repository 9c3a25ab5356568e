package org.tessera.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.objectstore.ObjectStoreServer;
import org.tessera.testkit.TokenIssuer;

class AccessServerTest {

    @TempDir
    Path root;

    private ObjectStoreServer objectStore;
    private AccessServer access;
    private final TokenIssuer issuer = new TokenIssuer();

    @BeforeEach
    void start() throws Exception {
        objectStore = ObjectStoreServer.start(
                root, "0123456789abcdef0123", new java.net.InetSocketAddress("127.0.0.1", 0), null);
        access = AccessServer.start(0, issuer, Seed.standard(), objectStore.store());
    }

    @AfterEach
    void stop() {
        access.close();
        objectStore.close();
    }

    @Test
    void mintsVerifiableTokensWithTheSeededUsersOrganizationAndRole() throws Exception {
        String token = new AccessClient(access.url()).token("admin");

        SignedJWT jwt = SignedJWT.parse(token);
        RSAKey key = JWKSet.parse(new String(HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(access.url().resolve("/jwks.json"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body()))
                .getKeys()
                .getFirst()
                .toRSAKey();
        assertThat(jwt.verify(new RSASSAVerifier(key))).isTrue();
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("demo-admin");
        assertThat(jwt.getJWTClaimsSet().getStringClaim("org_id")).isEqualTo("demo");
        assertThat(jwt.getJWTClaimsSet().getStringClaim(TokenIssuer.DEFAULT_AUDIENCE + "/role"))
                .isEqualTo("admin");
    }

    @Test
    void refusesUnknownUsersWithoutAnOrganization() {
        assertThatThrownBy(() -> new AccessClient(access.url()).token("mallory"))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("400")
                .hasMessageContaining("not seeded");
    }

    @Test
    void signedPutAndGetUrlsWorkAgainstTheObjectStore() throws Exception {
        AccessClient client = new AccessClient(access.url());
        Path file = Files.writeString(root.resolve("upload.txt"), "slide bytes");
        URI put = client.sign("PUT", "uploads/demo/a.tiff", Duration.ofMinutes(5));
        URI get = client.sign("GET", "uploads/demo/a.tiff", Duration.ofMinutes(5));

        new DemoClient(URI.create("http://127.0.0.1:1/"), () -> "unused").upload(put, file, "image/tiff");

        HttpResponse<String> download = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(get).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo("slide bytes");
        // A URL signed for GET cannot be used to overwrite the object.
        HttpResponse<String> forged = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(get)
                                .PUT(HttpRequest.BodyPublishers.ofString("evil"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(Optional.of(objectStore.store().pathOf("uploads/demo/a.tiff")))
                .hasValueSatisfying(path -> assertThat(path).hasContent("slide bytes"));
    }
}
