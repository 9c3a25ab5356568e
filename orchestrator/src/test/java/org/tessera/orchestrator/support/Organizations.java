package org.tessera.orchestrator.support;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;
import java.util.Map;
import java.util.UUID;
import org.tessera.orchestrator.tenancy.domain.Role;

/** Organizations of their own for tests that need more than the seeded {@code demo}, and requests as their users. */
public final class Organizations {

    /** The seeded super-admin and the operators' organization. */
    public static final String OPERATOR = "operator";

    public static final String OPERATORS = "platform";

    private Organizations() {}

    /** A new organization without limits, named {@code <prefix>-<random>}. */
    public static String create(String prefix) {
        return TestApi.registerOrganization(
                prefix + "-" + UUID.randomUUID().toString().substring(0, 8), null, null, null);
    }

    /** A new user of the organization. */
    public static String user(String organizationId, Role role) {
        return TestApi.register(
                role.name().toLowerCase(java.util.Locale.ROOT) + "-" + UUID.randomUUID(), organizationId, role);
    }

    public static RequestSpecification as(String user, String organizationId) {
        return given().header("Authorization", "Bearer " + TestApi.token(user, organizationId))
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
}
