package org.tessera.orchestrator.support;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.tessera.testkit.JwtTestResource;

/** Requests to the admin API: as the seeded operator, or as an organization registered through the API. */
public final class AdminApi {

    public static final String OPERATOR = "operator";
    public static final String OPERATORS = "platform";

    private AdminApi() {}

    /** As the seeded super-admin. */
    public static RequestSpecification asOperator() {
        return as(OPERATOR, OPERATORS);
    }

    public static RequestSpecification as(String subject, String organizationId) {
        return given().header("Authorization", "Bearer " + TestApi.token(subject, organizationId))
                .contentType("application/json");
    }

    /** An organization id (and domain label) no other test uses. */
    public static String freshOrganizationId() {
        return "org-" + UUID.randomUUID().toString().substring(0, 13);
    }

    public static String domainOf(String organizationId) {
        return organizationId + ".example.org";
    }

    /** A registration body whose first admin's id and subject are {@code <org>-admin}. */
    public static Map<String, Object> registration(String organizationId) {
        Map<String, Object> admin = new LinkedHashMap<>();
        admin.put("email", "admin@" + domainOf(organizationId));
        admin.put("name", "First Admin");
        admin.put("user_id", organizationId + "-admin");
        admin.put("subject", organizationId + "-admin");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("organization_id", organizationId);
        body.put("name", "Laboratory " + organizationId);
        body.put("domains", java.util.List.of(domainOf(organizationId)));
        body.put("first_admin", admin);
        return body;
    }

    /** The {@code first_admin} object of a registration body, to change. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> firstAdmin(Map<String, Object> registration) {
        return (Map<String, Object>) registration.get("first_admin");
    }

    /** Registers an organization through the admin API and returns its first admin's id (also their subject). */
    public static String registerOrganization(String organizationId, Map<String, Object> extra) {
        Map<String, Object> body = registration(organizationId);
        body.putAll(extra);
        asOperator().body(body).post("/api/admin/v1/organizations").then().statusCode(201);
        return organizationId + "-admin";
    }

    /** Adds a user (subject = id) through the admin API, as the organization's first admin. */
    public static String addUser(String organizationId, String userId, String role) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user_id", userId);
        body.put("subject", userId);
        body.put("email", userId + "@" + domainOf(organizationId));
        body.put("name", "User " + userId);
        body.put("role", role);
        as(organizationId + "-admin", organizationId)
                .body(body)
                .post("/api/admin/v1/organizations/" + organizationId + "/users")
                .then()
                .statusCode(201);
        return userId;
    }

    /** A token with these claims added or replaced, signed by the trusted test issuer. */
    public static String token(String subject, String organizationId, Map<String, Object> claims) {
        return JwtTestResource.issuer().token(subject, organizationId, "member", java.time.Duration.ofHours(1), claims);
    }
}
