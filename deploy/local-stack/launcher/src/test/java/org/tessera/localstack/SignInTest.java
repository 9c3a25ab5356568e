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
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.objectstore.HttpExchanges;
import org.tessera.objectstore.ObjectStoreServer;
import org.tessera.testkit.TokenIssuer;

/** The authorization-code flow with PKCE that browser applications (the dashboard) use against the local stack. */
class SignInTest {

    private static final String REDIRECT = "http://127.0.0.1:8180/dashboard/";
    private static final String VERIFIER = "verifier-0123456789-0123456789-0123456789-abcdef";

    @TempDir
    Path root;

    private ObjectStoreServer objectStore;
    private AccessServer access;
    private final HttpClient http = HttpClient.newHttpClient(); // follows no redirects
    private final ObjectMapper json = new ObjectMapper();

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
    void discoveryNamesTheEndpointsAndS256() throws Exception {
        JsonNode discovery =
                json.readTree(get("/.well-known/openid-configuration").body());
        assertThat(discovery.get("authorization_endpoint").asText()).isEqualTo(access.url() + "/authorize");
        assertThat(discovery.get("token_endpoint").asText()).isEqualTo(access.url() + "/token");
        assertThat(discovery.get("issuer").asText()).isEqualTo(TokenIssuer.DEFAULT_ISSUER);
        assertThat(discovery.get("code_challenge_methods_supported").toString()).isEqualTo("[\"S256\"]");
    }

    @Test
    void theSignInPageListsTheSeededUsersAndACodeIsExchangedOnceForATokenWithASecondFactor() throws Exception {
        HttpResponse<String> page = get("/authorize?" + authorizeQuery(SignIn.challenge(VERIFIER)));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("demo-admin", "northside-member", "operator", "name=\"code_challenge\"");

        String code = chooseUser("northside-admin", SignIn.challenge(VERIFIER));
        HttpResponse<String> token = exchange(code, VERIFIER);
        assertThat(token.statusCode()).isEqualTo(200);
        assertThat(token.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        JsonNode body = json.readTree(token.body());
        assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
        var claims = SignedJWT.parse(body.get("access_token").asText()).getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo("northside-admin");
        assertThat(claims.getStringClaim("org_id")).isEqualTo("northside");
        assertThat(claims.getStringListClaim("amr")).contains("otp");
        assertThat(claims.getStringClaim("azp")).isEqualTo("tessera-dashboard");

        HttpResponse<String> again = exchange(code, VERIFIER);
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(again.body()).contains("invalid_grant", "already used");
    }

    @Test
    void aUserAnAdminAddedSignsInWithTheirEmailOnTheirOrganizationsDomain() throws Exception {
        String code = choose(
                "email=" + URLEncoder.encode("new.colleague@northside.tessera.local", StandardCharsets.UTF_8),
                SignIn.challenge(VERIFIER));
        var claims = SignedJWT.parse(json.readTree(exchange(code, VERIFIER).body())
                        .get("access_token")
                        .asText())
                .getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo("new.colleague@northside.tessera.local");
        assertThat(claims.getStringClaim("email")).isEqualTo("new.colleague@northside.tessera.local");
        assertThat(claims.getBooleanClaim("email_verified")).isTrue();
        assertThat(claims.getStringClaim("org_id")).isEqualTo("northside");

        HttpResponse<String> foreign = http.send(
                HttpRequest.newBuilder(access.url().resolve("/authorize"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                authorizeQuery(SignIn.challenge(VERIFIER)) + "&email=someone%40gmail.com"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(foreign.statusCode()).isEqualTo(400);
        assertThat(foreign.body()).contains("not on the email domain of a seeded organization");
    }

    @Test
    void aWrongVerifierGetsNoTokenAndTheCodeIsSpent() throws Exception {
        String code = chooseUser("demo-member", SignIn.challenge(VERIFIER));
        HttpResponse<String> wrong = exchange(code, VERIFIER.replace('a', 'b'));
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(wrong.body()).contains("invalid_grant", "code_verifier");
        assertThat(exchange(code, VERIFIER).statusCode()).isEqualTo(400);
    }

    @Test
    void requestsWithoutPkceOrWithAForeignRedirectAreRefusedOnThePage() throws Exception {
        HttpResponse<String> noPkce = get("/authorize?response_type=code&client_id=c&redirect_uri="
                + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8));
        assertThat(noPkce.statusCode()).isEqualTo(400);
        assertThat(noPkce.body()).contains("code_challenge is missing");
        HttpResponse<String> foreign = get("/authorize?"
                + authorizeQuery(SignIn.challenge(VERIFIER))
                        .replace(URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8), "https%3A%2F%2Fevil.example%2F"));
        assertThat(foreign.statusCode()).isEqualTo(400);
        assertThat(foreign.body()).contains("redirect_uri must be");
    }

    private String chooseUser(String user, String challenge) throws Exception {
        return choose("user=" + user, challenge);
    }

    private String choose(String who, String challenge) throws Exception {
        HttpResponse<String> chosen = http.send(
                HttpRequest.newBuilder(access.url().resolve("/authorize"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(authorizeQuery(challenge) + "&" + who))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(chosen.statusCode()).isEqualTo(302);
        URI location = URI.create(chosen.headers().firstValue("Location").orElseThrow());
        assertThat(location.toString()).startsWith(REDIRECT + "?code=");
        Map<String, String> query = HttpExchanges.query(location.getRawQuery());
        assertThat(query.get("state")).isEqualTo("s t&ate");
        return query.get("code");
    }

    private HttpResponse<String> exchange(String code, String verifier) throws Exception {
        return http.send(
                HttpRequest.newBuilder(access.url().resolve("/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form(Map.of(
                                "grant_type", "authorization_code",
                                "code", code,
                                "redirect_uri", REDIRECT,
                                "client_id", "tessera-dashboard",
                                "code_verifier", verifier))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String authorizeQuery(String challenge) {
        return form(Map.of(
                "response_type", "code",
                "client_id", "tessera-dashboard",
                "redirect_uri", REDIRECT,
                "state", "s t&ate",
                "code_challenge", challenge,
                "code_challenge_method", "S256"));
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(access.url().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
