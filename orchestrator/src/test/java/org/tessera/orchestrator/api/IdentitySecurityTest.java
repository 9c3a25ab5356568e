package org.tessera.orchestrator.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.tessera.orchestrator.support.AdminApi.as;
import static org.tessera.orchestrator.support.AdminApi.asOperator;
import static org.tessera.orchestrator.support.AdminApi.freshOrganizationId;
import static org.tessera.orchestrator.support.AdminApi.registerOrganization;
import static org.tessera.orchestrator.support.AdminApi.registration;
import static org.tessera.orchestrator.support.AdminApi.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.auth.principal.JWTParser;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tessera.orchestrator.support.ObjectStoreTestResource;
import org.tessera.orchestrator.support.TestApi;
import org.tessera.orchestrator.tenancy.VerifiedTokens;
import org.tessera.testkit.JwtTestResource;
import org.tessera.testkit.KafkaTestResource;
import org.tessera.testkit.PostgresTestResource;
import org.tessera.testkit.TokenIssuer;

/**
 * Who gets in, as docs/organizations.md (Identity, Roles) says: every rule here has a test that fails when the rule
 * breaks, on the API v1 and on the admin API alike.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(ObjectStoreTestResource.class)
class IdentitySecurityTest {

    private static final String ADMIN = "demo-admin";
    private static final String DEMO = "demo";

    /** Endpoints the demo admin may read with a good token: every bad token below must be refused on each. */
    private static final List<String> ENDPOINTS = List.of(
            "/api/v1/applications",
            "/api/v1/runs",
            "/api/v1/me",
            "/api/admin/v1/me",
            "/api/admin/v1/organizations/demo",
            "/api/admin/v1/organizations/demo/users");

    static Stream<Arguments> badTokens() {
        return Stream.of(
                Arguments.of("alg none", (Supplier<String>) () -> unsigned(good()), "AUTH.TOKEN_INVALID"),
                Arguments.of(
                        "signed by another key",
                        (Supplier<String>) () -> new TokenIssuer().token(ADMIN, DEMO, "admin"),
                        "AUTH.TOKEN_INVALID"),
                Arguments.of(
                        "HS256 keyed with the public key",
                        (Supplier<String>) () -> hmacSignedWithThePublicKey(good()),
                        "AUTH.TOKEN_INVALID"),
                Arguments.of(
                        "another issuer",
                        (Supplier<String>) () -> token(ADMIN, DEMO, Map.of("iss", "https://evil.example.org/")),
                        "AUTH.TOKEN_INVALID"),
                Arguments.of(
                        "another audience",
                        (Supplier<String>) () -> token(ADMIN, DEMO, Map.of("aud", "https://other-api")),
                        "AUTH.TOKEN_INVALID"),
                Arguments.of(
                        "expired",
                        (Supplier<String>) () ->
                                JwtTestResource.issuer().token(ADMIN, DEMO, "admin", Duration.ofMinutes(-10), Map.of()),
                        "AUTH.TOKEN_INVALID"),
                Arguments.of(
                        "without a second factor",
                        (Supplier<String>) () -> token(ADMIN, DEMO, Map.of("amr", List.of("pwd"))),
                        "AUTH.SECOND_FACTOR_REQUIRED"),
                Arguments.of(
                        "without any amr claim value that proves a second factor",
                        (Supplier<String>) () -> token(ADMIN, DEMO, Map.of("amr", List.of("pwd", "kba"))),
                        "AUTH.SECOND_FACTOR_REQUIRED"),
                Arguments.of(
                        "with the org_id of another organization",
                        (Supplier<String>) () -> TestApi.token(ADMIN, "platform"),
                        "AUTH.ORGANIZATION_MISMATCH"));
    }

    @Inject
    JWTParser parser;

    @Test
    void theGoodTokenOfTheBadTokenTestsIsAccepted() {
        for (String endpoint : ENDPOINTS) {
            bearer(good()).get(endpoint).then().statusCode(200);
        }
    }

    /**
     * Every bearer token passes through the platform's remembering parser (the bad-token cases below run through it);
     * a token that was accepted once and is then sent with its signature altered is still refused.
     */
    @Test
    void tokensAreVerifiedThroughTheRememberingParser() {
        assertThat(parser).isInstanceOf(VerifiedTokens.class);
        String token = good();
        bearer(token).get(ENDPOINTS.getFirst()).then().statusCode(200);
        char last = token.charAt(token.length() - 2);
        String altered =
                token.substring(0, token.length() - 2) + (last == 'A' ? 'B' : 'A') + token.charAt(token.length() - 1);
        bearer(altered).get(ENDPOINTS.getFirst()).then().statusCode(401);
        bearer(token).get(ENDPOINTS.getFirst()).then().statusCode(200);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTokens")
    void badTokensAre401OnV1AndAdminEndpoints(String kind, Supplier<String> token, String code) {
        for (String endpoint : ENDPOINTS) {
            bearer(token.get())
                    .get(endpoint)
                    .then()
                    .statusCode(401)
                    .header("WWW-Authenticate", startsWith("Bearer"))
                    .body("code", equalTo(code));
        }
    }

    @Test
    void noTokenIs401AndTheHealthAndOpenApiDocumentsNeedNone() {
        for (String endpoint : ENDPOINTS) {
            given().get(endpoint).then().statusCode(401).body("code", equalTo("AUTH.TOKEN_REQUIRED"));
        }
        given().get("/health").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
    }

    @Test
    void aTokenOfAnUnknownSubjectIs403UserNotRegistered() {
        String stranger = "stranger-" + UUID.randomUUID();
        for (String endpoint : ENDPOINTS) {
            bearer(TestApi.token(stranger, DEMO))
                    .get(endpoint)
                    .then()
                    .statusCode(403)
                    .body("code", equalTo("AUTH.USER_NOT_REGISTERED"));
        }
    }

    @Test
    void aRemovedUsersTokenIsRefusedAtOnce() {
        String member = TestApi.freshUser();
        String token = TestApi.token(member);
        bearer(token).get("/api/v1/me").then().statusCode(200);
        bearer(token).get("/api/v1/runs").then().statusCode(200);

        as(ADMIN, DEMO)
                .delete("/api/admin/v1/organizations/demo/users/" + member)
                .then()
                .statusCode(204);

        for (String endpoint : List.of("/api/v1/me", "/api/v1/runs", "/api/v1/applications", "/api/admin/v1/me")) {
            bearer(token).get(endpoint).then().statusCode(403).body("code", equalTo("AUTH.USER_NOT_REGISTERED"));
        }
    }

    @Test
    void aUserAddedByEmailIsBoundOnceAtTheFirstSignInWithThatEmailVerified() {
        String email = "bind-" + UUID.randomUUID() + "@demo.tessera.local";
        String userId = addByEmail(email);
        String subject = "idp|" + UUID.randomUUID();

        bearer(token(subject, DEMO, Map.of("email", email, "email_verified", false)))
                .get("/api/v1/me")
                .then()
                .statusCode(403)
                .body("code", equalTo("AUTH.USER_NOT_REGISTERED"));
        bearer(token(subject, DEMO, Map.of("email", email)))
                .get("/api/v1/me")
                .then()
                .statusCode(403);
        as(ADMIN, DEMO)
                .get("/api/admin/v1/organizations/demo/users/" + userId)
                .then()
                .body("subject", nullValue());

        bearer(token(subject, DEMO, Map.of("email", email.toUpperCase(), "email_verified", true)))
                .get("/api/v1/me")
                .then()
                .statusCode(200)
                .body("user.id", equalTo(userId))
                .body("user.email", equalTo(email))
                .body("user.email_verified", equalTo(true));
        as(ADMIN, DEMO)
                .get("/api/admin/v1/organizations/demo/users/" + userId)
                .then()
                .body("subject", equalTo(subject));

        // Bound once: another account with the same verified email does not get in, the bound one does without it.
        bearer(token("idp|" + UUID.randomUUID(), DEMO, Map.of("email", email, "email_verified", true)))
                .get("/api/v1/me")
                .then()
                .statusCode(403)
                .body("code", equalTo("AUTH.USER_NOT_REGISTERED"));
        bearer(TestApi.token(subject, DEMO))
                .get("/api/admin/v1/me")
                .then()
                .statusCode(200)
                .body("user.user_id", equalTo(userId))
                .body("user.role", equalTo("MEMBER"));
    }

    @Test
    void aRemovedUserAddedAgainSignsInWithTheSameAccount() {
        String email = "again-" + UUID.randomUUID() + "@demo.tessera.local";
        String subject = "idp|" + UUID.randomUUID();
        String first = addByEmail(email);
        String signIn = token(subject, DEMO, Map.of("email", email, "email_verified", true));
        bearer(signIn).get("/api/v1/me").then().statusCode(200).body("user.id", equalTo(first));

        as(ADMIN, DEMO)
                .delete("/api/admin/v1/organizations/demo/users/" + first)
                .then()
                .statusCode(204);
        bearer(signIn).get("/api/v1/me").then().statusCode(403);

        String second = addByEmail(email);
        bearer(signIn).get("/api/v1/me").then().statusCode(200).body("user.id", equalTo(second));
    }

    static Stream<Arguments> adminEndpoints() {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("email", "newcomer@demo.tessera.local");
        user.put("name", "Newcomer");
        return Stream.of(
                Arguments.of("GET", "/api/admin/v1/organizations", null),
                Arguments.of("POST", "/api/admin/v1/organizations", registration("never-registered")),
                Arguments.of("POST", "/api/admin/v1/organizations", Map.of("not", "valid")),
                Arguments.of("GET", "/api/admin/v1/organizations/demo", null),
                Arguments.of("PATCH", "/api/admin/v1/organizations/demo", Map.of("max_users", 1)),
                Arguments.of("PATCH", "/api/admin/v1/organizations/demo", Map.of("bogus", true)),
                Arguments.of("GET", "/api/admin/v1/organizations/demo/users", null),
                Arguments.of("POST", "/api/admin/v1/organizations/demo/users", user),
                Arguments.of("POST", "/api/admin/v1/organizations/demo/users", Map.of("bogus", true)),
                Arguments.of("GET", "/api/admin/v1/organizations/demo/users/demo-admin", null),
                Arguments.of("PATCH", "/api/admin/v1/organizations/demo/users/demo-admin", Map.of("role", "MEMBER")),
                Arguments.of("DELETE", "/api/admin/v1/organizations/demo/users/demo-admin", null));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("adminEndpoints")
    void membersAre403OnEveryAdminEndpoint(String method, String path, Map<String, Object> body) {
        String member = TestApi.freshUser();
        var request = as(member, DEMO);
        if (body != null) {
            request.body(body);
        }
        request.request(method, path).then().statusCode(403).body("code", startsWith("AUTH."));
        as(ADMIN, DEMO).get("/api/admin/v1/me").then().statusCode(200).body("user.role", equalTo("ADMIN"));
    }

    @Test
    void aMemberCannotPromoteThemselvesButMayReadTheirOwnRecord() {
        String member = TestApi.freshUser();
        as(member, DEMO)
                .body(Map.of("role", "ADMIN"))
                .patch("/api/admin/v1/organizations/demo/users/" + member)
                .then()
                .statusCode(403)
                .body("code", equalTo("AUTH.ADMIN_REQUIRED"));
        as(member, DEMO)
                .get("/api/admin/v1/me")
                .then()
                .statusCode(200)
                .body("user.user_id", equalTo(member))
                .body("user.role", equalTo("MEMBER"))
                .body("organization.organization_id", equalTo(DEMO));
    }

    static Stream<Arguments> userEndpoints() {
        return Stream.of(
                Arguments.of("GET", "", null),
                Arguments.of("POST", "", Map.of("email", "x@demo.tessera.local", "name", "X")),
                Arguments.of("GET", "/demo-member", null),
                Arguments.of("PATCH", "/demo-member", Map.of("role", "ADMIN")),
                Arguments.of("DELETE", "/demo-member", null));
    }

    @ParameterizedTest(name = "{0} users{1}")
    @MethodSource("userEndpoints")
    void anAdminOfAnotherOrganizationGets404ForItsUsersAsIfItDidNotExist(
            String method, String below, Map<String, Object> body) {
        String org = freshOrganizationId();
        String outsider = registerOrganization(org, Map.of());
        for (String target : List.of(DEMO, "no-such-organization")) {
            var request = as(outsider, org);
            if (body != null) {
                request.body(body);
            }
            request.request(method, "/api/admin/v1/organizations/" + target + "/users" + below)
                    .then()
                    .statusCode(404)
                    .body("code", equalTo("TENANCY.ORGANIZATION_NOT_FOUND"))
                    .body("detail", equalTo("there is no organization " + target));
        }
        as(ADMIN, DEMO)
                .get("/api/admin/v1/organizations/demo/users/demo-member")
                .then()
                .statusCode(200)
                .body("role", equalTo("MEMBER"));
    }

    @Test
    void anAdminOfAnotherOrganizationGets403ForOrganizationEndpoints() {
        String org = freshOrganizationId();
        String outsider = registerOrganization(org, Map.of());
        for (String target : List.of(DEMO, "no-such-organization")) {
            as(outsider, org)
                    .get("/api/admin/v1/organizations/" + target)
                    .then()
                    .statusCode(403)
                    .body("code", equalTo("AUTH.SUPER_ADMIN_REQUIRED"));
            as(outsider, org)
                    .body(Map.of("max_users", 1))
                    .patch("/api/admin/v1/organizations/" + target)
                    .then()
                    .statusCode(403)
                    .body("code", equalTo("AUTH.SUPER_ADMIN_REQUIRED"));
        }
    }

    @Test
    void anOrganizationThatDoesNotRequireMfaAcceptsTokensWithoutASecondFactor() {
        String org = freshOrganizationId();
        String admin = registerOrganization(org, Map.of("require_mfa", false));
        String passwordOnly = token(admin, org, Map.of("amr", List.of("pwd")));
        bearer(passwordOnly).get("/api/v1/me").then().statusCode(200);
        bearer(passwordOnly).get("/api/admin/v1/me").then().statusCode(200);
        bearer(passwordOnly)
                .get("/api/admin/v1/organizations/" + org + "/users")
                .then()
                .statusCode(200);

        asOperator()
                .body(Map.of("require_mfa", true))
                .patch("/api/admin/v1/organizations/" + org)
                .then()
                .statusCode(200);
        bearer(passwordOnly)
                .get("/api/v1/me")
                .then()
                .statusCode(401)
                .body("code", equalTo("AUTH.SECOND_FACTOR_REQUIRED"));
    }

    private static String addByEmail(String email) {
        return as(ADMIN, DEMO)
                .body(Map.of("email", email, "name", "Invited"))
                .post("/api/admin/v1/organizations/demo/users")
                .then()
                .statusCode(201)
                .body("subject", nullValue())
                .extract()
                .path("user_id");
    }

    private static io.restassured.specification.RequestSpecification bearer(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    private static String good() {
        return TestApi.token(ADMIN, DEMO);
    }

    private static String unsigned(String token) {
        try {
            return new PlainJWT(SignedJWT.parse(token).getJWTClaimsSet()).serialize();
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The classic algorithm-confusion attack: the verifier's public key used as an HMAC secret. */
    private static String hmacSignedWithThePublicKey(String token) {
        try {
            JWTClaimsSet claims = SignedJWT.parse(token).getJWTClaimsSet();
            SignedJWT forged = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            forged.sign(new MACSigner(JwtTestResource.issuer().jwksJson().getBytes(StandardCharsets.UTF_8)));
            return forged.serialize();
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
