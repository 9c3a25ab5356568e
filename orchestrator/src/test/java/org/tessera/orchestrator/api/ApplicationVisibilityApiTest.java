package org.tessera.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.tessera.orchestrator.application.TestCatalogue.PAID_APP;
import static org.tessera.orchestrator.support.Organizations.as;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tessera.orchestrator.support.ObjectStoreTestResource;
import org.tessera.orchestrator.support.Organizations;
import org.tessera.orchestrator.support.TestApi;
import org.tessera.orchestrator.tenancy.domain.Role;
import org.tessera.testkit.JwtTestResource;
import org.tessera.testkit.KafkaTestResource;
import org.tessera.testkit.PostgresTestResource;

/** Each organization sees and runs only the free applications and the versions assigned to it. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(ObjectStoreTestResource.class)
class ApplicationVisibilityApiTest {

    @Test
    void anOrganizationWithoutAssignmentsSeesOnlyTheFreeApplication() {
        String org = Organizations.fresh("plain");
        String member = Organizations.user(org, Role.MEMBER);

        as(member, org)
                .get("/api/v1/applications")
                .then()
                .statusCode(200)
                .body("application_id", contains("test-app"))
                .body("[0].latest_version.number", equalTo("1.1.0"));
        as(member, org)
                .get("/api/v1/applications/test-app")
                .then()
                .statusCode(200)
                .body("versions.number", contains("1.0.0", "1.1.0"));
        // The demo organization, which has he-tme assigned, sees both.
        TestApi.as(TestApi.freshUser())
                .get("/api/v1/applications")
                .then()
                .statusCode(200)
                .body("application_id", contains("he-tme", "test-app"));
    }

    @Test
    void anApplicationTheOrganizationDoesNotHaveIs403AndAnUnknownOneIs404() {
        String org = Organizations.fresh("plain");
        String member = Organizations.user(org, Role.MEMBER);

        as(member, org)
                .get("/api/v1/applications/he-tme")
                .then()
                .statusCode(403)
                .body("code", equalTo("APPLICATION.NOT_AVAILABLE"))
                .body("detail", containsString("he-tme"))
                .body("detail", containsString(org));
        as(member, org)
                .get("/api/v1/applications/he-tme/versions/1.0.0")
                .then()
                .statusCode(403)
                .body("code", equalTo("APPLICATION.NOT_AVAILABLE"));
        as(member, org)
                .get("/api/v1/applications/no-such-app")
                .then()
                .statusCode(404)
                .body("code", equalTo("APPLICATION.NOT_FOUND"))
                .body("detail", containsString("no-such-app"));
    }

    @Test
    void anOrganizationSeesOnlyItsAssignedVersions() {
        String org = Organizations.fresh("partial");
        String member = Organizations.user(org, Role.MEMBER);
        Organizations.assign(org, PAID_APP, "1.0.0");

        as(member, org)
                .get("/api/v1/applications")
                .then()
                .statusCode(200)
                .body("application_id", contains(PAID_APP, "test-app"))
                .body("find { it.application_id == '" + PAID_APP + "' }.latest_version.number", equalTo("1.0.0"));
        as(member, org)
                .get("/api/v1/applications/{id}", PAID_APP)
                .then()
                .statusCode(200)
                .body("versions.number", contains("1.0.0"));
        as(member, org)
                .get("/api/v1/applications/{id}/versions/1.0.0", PAID_APP)
                .then()
                .statusCode(200)
                .body("version_number", equalTo("1.0.0"));
        as(member, org)
                .get("/api/v1/applications/{id}/versions/1.1.0", PAID_APP)
                .then()
                .statusCode(404)
                .body("code", equalTo("APPLICATION.VERSION_NOT_FOUND"))
                .body("detail", containsString("1.1.0"));
        as(member, org)
                .get("/api/v1/applications/{id}/versions/9.9.9", PAID_APP)
                .then()
                .statusCode(404)
                .body("code", equalTo("APPLICATION.VERSION_NOT_FOUND"));
        // Another organization still does not see the application at all.
        String other = Organizations.fresh("other");
        as(Organizations.user(other, Role.MEMBER), other)
                .get("/api/v1/applications/{id}", PAID_APP)
                .then()
                .statusCode(403);
    }

    @Test
    void aRunForAnApplicationTheOrganizationDoesNotHaveIs403AndStoresNothing() {
        String org = Organizations.fresh("norun");
        String member = Organizations.user(org, Role.MEMBER);

        as(member, org)
                .body(TestApi.run("he-tme", null, 1))
                .post("/api/v1/runs")
                .then()
                .statusCode(403)
                .body("code", equalTo("APPLICATION.NOT_AVAILABLE"))
                .body("detail", containsString("application_id"))
                .body("detail", containsString("he-tme"));
        as(member, org)
                .body(TestApi.run("he-tme", "1.0.0", 1))
                .post("/api/v1/runs")
                .then()
                .statusCode(403)
                .body("code", equalTo("APPLICATION.NOT_AVAILABLE"));
        as(member, org)
                .body(TestApi.run("no-such-app", null, 1))
                .post("/api/v1/runs")
                .then()
                .statusCode(404)
                .body("code", equalTo("APPLICATION.NOT_FOUND"));
        as(member, org).get("/api/v1/runs").then().statusCode(200).body("$", hasSize(0));
        // The free application needs no assignment.
        as(member, org).body(TestApi.testRun(1)).post("/api/v1/runs").then().statusCode(201);
    }

    @Test
    void aRunPinnedToAnUnassignedVersionIs404AndWithoutAVersionTheLatestAssignedIsUsed() {
        String org = Organizations.fresh("pinned");
        String member = Organizations.user(org, Role.MEMBER);
        Organizations.assign(org, PAID_APP, "1.0.0");

        as(member, org)
                .body(TestApi.run(PAID_APP, "1.1.0", 1))
                .post("/api/v1/runs")
                .then()
                .statusCode(404)
                .body("code", equalTo("APPLICATION.VERSION_NOT_FOUND"))
                .body("detail", containsString("version_number"));
        assertThat(versionOfANewRun(member, org)).isEqualTo("1.0.0");

        Organizations.assign(org, PAID_APP, "1.1.0");
        assertThat(versionOfANewRun(member, org)).isEqualTo("1.1.0");

        Organizations.unassign(org, PAID_APP, "1.1.0");
        assertThat(versionOfANewRun(member, org)).isEqualTo("1.0.0");
        as(member, org)
                .body(TestApi.run(PAID_APP, "1.1.0", 1))
                .post("/api/v1/runs")
                .then()
                .statusCode(404);
    }

    private static String versionOfANewRun(String member, String org) {
        Map<String, Object> body = TestApi.run(PAID_APP, null, 1);
        String runId = as(member, org)
                .body(body)
                .post("/api/v1/runs")
                .then()
                .statusCode(201)
                .extract()
                .path("run_id");
        return as(member, org)
                .get("/api/v1/runs/{id}", runId)
                .then()
                .statusCode(200)
                .extract()
                .path("version_number");
    }
}
