package org.tessera.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.tessera.orchestrator.application.TestCatalogue.PAID_APP;
import static org.tessera.orchestrator.support.Organizations.as;
import static org.tessera.orchestrator.support.Organizations.asOperator;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tessera.orchestrator.support.ObjectStoreTestResource;
import org.tessera.orchestrator.support.Organizations;
import org.tessera.orchestrator.tenancy.domain.Role;
import org.tessera.testkit.JwtTestResource;
import org.tessera.testkit.KafkaTestResource;
import org.tessera.testkit.PostgresTestResource;

/** {@code /api/admin/v1/organizations/{org}/applications}: super-admins assign, admins of the organization read. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(ObjectStoreTestResource.class)
class ApplicationAssignmentsAdminApiTest {

    private static final String ASSIGNMENTS = "/api/admin/v1/organizations/{org}/applications";
    private static final String VERSION = ASSIGNMENTS + "/{app}/versions/{version}";

    @Test
    void aSuperAdminAssignsAndUnassignsVersions() {
        String org = Organizations.fresh("assign");
        Instant before = Instant.now().minusSeconds(1);

        JsonPath created = asOperator()
                .put(VERSION, org, PAID_APP, "1.1.0")
                .then()
                .statusCode(201)
                .body("organization_id", equalTo(org))
                .body("application_id", equalTo(PAID_APP))
                .body("version_number", equalTo("1.1.0"))
                .body("free", equalTo(false))
                .body("assigned_by", equalTo(Organizations.OPERATOR))
                .extract()
                .jsonPath();
        assertThat(Instant.parse(created.getString("assigned_at"))).isAfter(before);
        asOperator()
                .put(VERSION, org, PAID_APP, "1.1.0")
                .then()
                .statusCode(200)
                .body("assigned_at", equalTo(created.getString("assigned_at")));

        List<Map<String, Object>> listed = asOperator()
                .get(ASSIGNMENTS, org)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("$");
        assertThat(listed)
                .extracting(a -> a.get("application_id") + " " + a.get("version_number") + " " + a.get("free"))
                .containsExactly(PAID_APP + " 1.1.0 false", "test-app 1.0.0 true", "test-app 1.1.0 true");

        asOperator().delete(VERSION, org, PAID_APP, "1.1.0").then().statusCode(204);
        asOperator()
                .delete(VERSION, org, PAID_APP, "1.1.0")
                .then()
                .statusCode(404)
                .body("code", equalTo("APPLICATION.VERSION_NOT_ASSIGNED"))
                .body("detail", containsString(org));
        asOperator()
                .get(ASSIGNMENTS, org)
                .then()
                .statusCode(200)
                .body("application_id", contains("test-app", "test-app"));

        // Assigning it again after an unassignment gives the organization the version again.
        asOperator().put(VERSION, org, PAID_APP, "1.1.0").then().statusCode(201);
        String member = Organizations.user(org, Role.MEMBER);
        as(member, org)
                .get("/api/v1/applications/{app}/versions/1.1.0", PAID_APP)
                .then()
                .statusCode(200);
    }

    @Test
    void adminsReadTheirOwnOrganizationsAssignmentsAndNothingElse() {
        String org = Organizations.fresh("admins");
        String admin = Organizations.user(org, Role.ADMIN);
        String member = Organizations.user(org, Role.MEMBER);
        Organizations.assign(org, PAID_APP, "1.0.0");

        as(admin, org)
                .get(ASSIGNMENTS, org)
                .then()
                .statusCode(200)
                .body("application_id", contains(PAID_APP, "test-app", "test-app"));
        as(admin, org)
                .put(VERSION, org, PAID_APP, "1.1.0")
                .then()
                .statusCode(403)
                .body("code", equalTo("AUTH.SUPER_ADMIN_REQUIRED"));
        as(admin, org)
                .delete(VERSION, org, PAID_APP, "1.0.0")
                .then()
                .statusCode(403)
                .body("code", equalTo("AUTH.SUPER_ADMIN_REQUIRED"));
        as(admin, org).get(ASSIGNMENTS, "demo").then().statusCode(403).body("code", equalTo("AUTH.ADMIN_REQUIRED"));
        as(member, org).get(ASSIGNMENTS, org).then().statusCode(403).body("code", equalTo("AUTH.ADMIN_REQUIRED"));
        as(member, org).put(VERSION, org, PAID_APP, "1.1.0").then().statusCode(403);
        // Refused requests changed nothing.
        asOperator()
                .get(ASSIGNMENTS, org)
                .then()
                .statusCode(200)
                .body("findAll { it.application_id == '" + PAID_APP + "' }.version_number", contains("1.0.0"));
    }

    @Test
    void badRequestsNameWhatIsWrong() {
        String org = Organizations.fresh("bad");

        asOperator()
                .put(VERSION, "no-such-org", PAID_APP, "1.0.0")
                .then()
                .statusCode(404)
                .body("code", equalTo("TENANCY.ORGANIZATION_NOT_FOUND"))
                .body("detail", containsString("no-such-org"));
        asOperator()
                .get(ASSIGNMENTS, "no-such-org")
                .then()
                .statusCode(404)
                .body("code", equalTo("TENANCY.ORGANIZATION_NOT_FOUND"));
        asOperator()
                .put(VERSION, org, "no-such-app", "1.0.0")
                .then()
                .statusCode(404)
                .body("code", equalTo("APPLICATION.NOT_FOUND"))
                .body("detail", containsString("no-such-app"));
        asOperator()
                .put(VERSION, org, "he-tme", "9.9.9")
                .then()
                .statusCode(404)
                .body("code", equalTo("APPLICATION.VERSION_NOT_FOUND"))
                .body("detail", containsString("9.9.9"));
        asOperator()
                .put(VERSION, org, "he-tme", "latest")
                .then()
                .statusCode(422)
                .body("detail[0].loc", contains("path", "version"));
        asOperator()
                .delete(VERSION, org, "test-app", "1.0.0")
                .then()
                .statusCode(409)
                .body("code", equalTo("APPLICATION.FREE_VERSION"))
                .body("detail", containsString("test-app"));
        asOperator()
                .put(VERSION, org, "test-app", "1.0.0")
                .then()
                .statusCode(200)
                .body("free", equalTo(true))
                .body("assigned_at", nullValue());
        asOperator()
                .delete(VERSION, org, "he-tme", "1.0.0")
                .then()
                .statusCode(404)
                .body("code", equalTo("APPLICATION.VERSION_NOT_ASSIGNED"));
    }

    @Test
    void theSeededDemoOrganizationHasHeTme() {
        asOperator()
                .get(ASSIGNMENTS, "demo")
                .then()
                .statusCode(200)
                .body("find { it.application_id == 'he-tme' }.version_number", equalTo("1.0.0"))
                .body("find { it.application_id == 'he-tme' }.free", equalTo(false))
                .body("find { it.application_id == 'he-tme' }.assigned_by", nullValue());
    }
}
