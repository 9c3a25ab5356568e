package org.tessera.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.objectstore.ObjectStoreServer;
import org.tessera.testkit.TokenIssuer;

/** The device authorization grant of the local issuer, over real HTTP. */
class DeviceAuthorizationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    private ObjectStoreServer objectStore;
    private AccessServer access;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        objectStore = ObjectStoreServer.start(
                root, "0123456789abcdef0123", new java.net.InetSocketAddress("127.0.0.1", 0), null);
        access = AccessServer.start(0, new TokenIssuer(), Seed.standard(), objectStore.store());
    }

    @AfterEach
    void stop() {
        access.close();
        objectStore.close();
    }

    @Test
    void aCodeApprovedForASeededUserYieldsThatUsersTokenOnce() throws Exception {
        JsonNode grant = JSON.readTree(
                post("/device_authorization", "client_id=tessera-cli").body());
        String deviceCode = grant.path("device_code").asText();
        String userCode = grant.path("user_code").asText();
        assertThat(userCode).matches("[A-Z]{4}-[A-Z]{4}");
        assertThat(grant.path("verification_uri").asText()).isEqualTo(access.url() + "/device");
        assertThat(grant.path("interval").asInt()).isPositive();

        HttpResponse<String> pending = post("/device/token", tokenForm(deviceCode));
        assertThat(pending.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(pending.body()).path("error").asText()).isIn("authorization_pending", "slow_down");

        HttpResponse<String> page = http.send(
                HttpRequest.newBuilder(URI.create(
                                grant.path("verification_uri_complete").asText()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.body()).contains(userCode).contains("demo-member");

        // Typed in lower case and without the dash, as people do.
        HttpResponse<String> approved =
                post("/device", "user_code=" + userCode.replace("-", "").toLowerCase() + "&user=demo-member");
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);

        HttpResponse<String> issued = post("/device/token", tokenForm(deviceCode));
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
        JsonNode token = JSON.readTree(issued.body());
        assertThat(token.path("token_type").asText()).isEqualTo("Bearer");
        SignedJWT jwt = SignedJWT.parse(token.path("access_token").asText());
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("demo-member");
        assertThat(jwt.getJWTClaimsSet().getStringClaim("org_id")).isEqualTo("demo");

        HttpResponse<String> again = post("/device/token", tokenForm(deviceCode));
        assertThat(JSON.readTree(again.body()).path("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void unknownCodesUsersAndGrantTypesAreRefusedByName() throws Exception {
        assertThat(JSON.readTree(post("/device/token", tokenForm("nonsense")).body())
                        .path("error")
                        .asText())
                .isEqualTo("invalid_grant");
        assertThat(JSON.readTree(post("/device/token", "grant_type=password").body())
                        .path("error")
                        .asText())
                .isEqualTo("unsupported_grant_type");
        JsonNode grant = JSON.readTree(post("/device_authorization", "").body());
        HttpResponse<String> mallory =
                post("/device", "user_code=" + grant.path("user_code").asText() + "&user=mallory");
        assertThat(mallory.statusCode()).isEqualTo(400);
        assertThat(mallory.body()).contains("mallory").contains("not seeded");
        assertThat(post("/device", "user_code=BBBB-BBBB&user=demo-member").statusCode())
                .isEqualTo(404);
    }

    private static String tokenForm(String deviceCode) {
        return "grant_type=" + URLEncoder.encode(DeviceAuthorization.GRANT_TYPE, StandardCharsets.UTF_8)
                + "&device_code=" + deviceCode;
    }

    private HttpResponse<String> post(String path, String form) throws Exception {
        return http.send(
                HttpRequest.newBuilder(access.url().resolve(path))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
