package org.tessera.orchestrator.support;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;
import java.util.UUID;
import org.tessera.orchestrator.tenancy.domain.Role;

/** Users of every kind a sharing or isolation test needs, each fresh, and requests made as them. */
public final class Callers {

    /** A second organization, registered on first use, whose users must never see {@link TestApi#ORG}'s runs. */
    public static final String OTHER_ORG = "isolation-other";

    private Callers() {}

    /** A user of {@link TestApi#ORG} with the given role. */
    public static String of(Role role) {
        return TestApi.register(
                role.name().toLowerCase(java.util.Locale.ROOT) + "-" + UUID.randomUUID(), TestApi.ORG, role);
    }

    /** A member of {@link #OTHER_ORG}. */
    public static String otherOrganizationMember() {
        TestApi.registerOrganization(OTHER_ORG, null, null, null);
        return TestApi.register("other-" + UUID.randomUUID(), OTHER_ORG, Role.MEMBER);
    }

    /** A platform operator (super-admin of the seeded operators' organization). */
    public static String superAdmin() {
        return TestApi.register("operator-" + UUID.randomUUID(), "platform", Role.SUPER_ADMIN);
    }

    /** Requests as a user of any organization. */
    public static RequestSpecification as(String user, String organizationId) {
        return given().header("Authorization", "Bearer " + TestApi.token(user, organizationId))
                .contentType("application/json");
    }
}
