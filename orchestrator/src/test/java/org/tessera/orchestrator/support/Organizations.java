package org.tessera.orchestrator.support;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.tessera.orchestrator.tenancy.domain.Role;
import org.tessera.testkit.JwtTestResource;

/** Organizations of their own for tests that must not share what organization {@code demo} has or does. */
public final class Organizations {

    /** The seeded super-admin. */
    public static final String OPERATOR = "operator";

    /** The operators' organization. */
    public static final String OPERATORS = "platform";

    private Organizations() {}

    /** A new organization without limits or assignments (the free applications only), {@code <prefix>-<random>}. */
    public static String fresh(String prefix) {
        String id = prefix + "-" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
        return TestApi.registerOrganization(id, null, null, null);
    }

    /** Same as {@link #fresh(String)}. */
    public static String create(String prefix) {
        return fresh(prefix);
    }

    /** A new user of the organization with the role. */
    public static String user(String organizationId, Role role) {
        return TestApi.register(role.name().toLowerCase(Locale.ROOT) + "-" + UUID.randomUUID(), organizationId, role);
    }

    /** Requests as a user of the organization (token with a second factor). */
    public static RequestSpecification as(String user, String organizationId) {
        return given().header(
                        "Authorization", "Bearer " + JwtTestResource.issuer().token(user, organizationId, "member"))
                .contentType("application/json");
    }

    public static RequestSpecification asOperator() {
        return as(OPERATOR, OPERATORS);
    }

    /** Submits a run as a user of the organization and returns its id. */
    public static UUID submit(String user, String organizationId, Map<String, Object> body) {
        String id = as(user, organizationId)
                .body(body)
                .post("/api/v1/runs")
                .then()
                .statusCode(201)
                .extract()
                .path("run_id");
        return UUID.fromString(id);
    }

    /** Assigns a version through the admin API, as the operator. */
    public static void assign(String organizationId, String applicationId, String version) {
        asOperator()
                .put(
                        "/api/admin/v1/organizations/{org}/applications/{app}/versions/{version}",
                        organizationId,
                        applicationId,
                        version)
                .then()
                .statusCode(org.hamcrest.Matchers.oneOf(200, 201));
    }

    public static void unassign(String organizationId, String applicationId, String version) {
        asOperator()
                .delete(
                        "/api/admin/v1/organizations/{org}/applications/{app}/versions/{version}",
                        organizationId,
                        applicationId,
                        version)
                .then()
                .statusCode(204);
    }
}
