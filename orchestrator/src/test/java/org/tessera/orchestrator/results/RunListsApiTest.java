package org.tessera.orchestrator.results;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.tessera.orchestrator.support.TestApi.as;
import static org.tessera.orchestrator.support.TestApi.freshUser;
import static org.tessera.orchestrator.support.TestApi.submit;
import static org.tessera.orchestrator.support.TestApi.testRun;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.tessera.orchestrator.support.Callers;
import org.tessera.orchestrator.support.ObjectStoreTestResource;
import org.tessera.orchestrator.support.TestApi;
import org.tessera.orchestrator.tenancy.domain.Role;
import org.tessera.testkit.JwtTestResource;
import org.tessera.testkit.KafkaTestResource;
import org.tessera.testkit.PostgresTestResource;

@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(ObjectStoreTestResource.class)
class RunListsApiTest {

    @Test
    void membersListTheirOwnRunsAndFindSharedOnesAmongTheirOrganizations() {
        String alice = freshUser();
        String bob = freshUser();
        UUID own = submit(alice, tagged("cohort-1"));
        UUID shared = submit(bob, tagged("cohort-1"));
        UUID privateRun = submit(bob, tagged("cohort-1"));
        share(bob, shared, alice);

        as(alice).get("/api/v1/runs").then().statusCode(200).body("run_id", contains(own.toString()));
        as(alice).queryParam("submitted_by", "me").get("/api/v1/runs").then().body("run_id", contains(own.toString()));
        as(alice)
                .queryParam("organization_id", "my_org")
                .get("/api/v1/runs")
                .then()
                .body("run_id", hasItems(own.toString(), shared.toString()))
                .body("run_id", not(hasItem(privateRun.toString())));
        as(alice)
                .queryParam("submitted_by", bob)
                .get("/api/v1/runs")
                .then()
                .body("run_id", contains(shared.toString()));
        as(alice)
                .queryParam("organization_id", Callers.OTHER_ORG)
                .get("/api/v1/runs")
                .then()
                .body("$", empty());
    }

    @Test
    void aCustomMetadataFilterNeverReachesRunsTheCallerMayNotSee() {
        String alice = freshUser();
        String bob = freshUser();
        String outsider = Callers.otherOrganizationMember();
        String marker = "secret-" + UUID.randomUUID();
        UUID bobs = submit(bob, tagged(marker));
        Map<String, Object> outsiders = tagged(marker);
        Callers.as(outsider, Callers.OTHER_ORG)
                .body(outsiders)
                .post("/api/v1/runs")
                .then()
                .statusCode(201);
        String matching = "$.sdk.tags[*] ? (@ == \"" + marker + "\")";

        as(bob).queryParam("custom_metadata", matching)
                .get("/api/v1/runs")
                .then()
                .body("run_id", contains(bobs.toString()));
        for (Map.Entry<String, String> scope : Map.of(
                        "submitted_by", bob,
                        "organization_id", "my_org",
                        "page_size", "100")
                .entrySet()) {
            as(alice)
                    .queryParam("custom_metadata", matching)
                    .queryParam(scope.getKey(), scope.getValue())
                    .get("/api/v1/runs")
                    .then()
                    .statusCode(200)
                    .body("$", empty());
        }
        // A path that matches every run with metadata still stays within the runs the caller may read (their own
        // and those shared with them, e.g. with the whole organization by other tests).
        UUID alices = submit(alice, tagged("mine"));
        as(alice)
                .queryParam("custom_metadata", "$")
                .queryParam("organization_id", "my_org")
                .queryParam("page_size", 100)
                .get("/api/v1/runs")
                .then()
                .body("run_id", hasItem(alices.toString()))
                .body("run_id", not(hasItem(bobs.toString())));
        as(alice)
                .queryParam("custom_metadata", matching)
                .queryParam("for_organization", Callers.OTHER_ORG)
                .get("/api/v1/runs")
                .then()
                .statusCode(403);
    }

    @Test
    void adminsListAndReadTheirOrganizationsRunsAndSuperAdminsAnyOrganizations() {
        String member = freshUser();
        String admin = Callers.of(Role.ADMIN);
        String operator = Callers.superAdmin();
        String outsider = Callers.otherOrganizationMember();
        UUID membersRun = submit(member, testRun(1));
        String outsidersRun = Callers.as(outsider, Callers.OTHER_ORG)
                .body(testRun(1))
                .post("/api/v1/runs")
                .then()
                .statusCode(201)
                .extract()
                .path("run_id");

        as(admin)
                .queryParam("for_organization", TestApi.ORG)
                .queryParam("submitted_by", member)
                .get("/api/v1/runs")
                .then()
                .statusCode(200)
                .body("run_id", contains(membersRun.toString()));
        as(admin)
                .queryParam("organization_id", "my_org")
                .queryParam("submitted_by", member)
                .get("/api/v1/runs")
                .then()
                .body("run_id", contains(membersRun.toString()));
        as(admin).get("/api/v1/runs/{id}", membersRun).then().statusCode(200);
        as(admin)
                .post("/api/v1/runs/{id}/cancel", membersRun)
                .then()
                .statusCode(403)
                .body("code", equalTo("ACCESS.OWNER_ONLY"));
        as(admin)
                .queryParam("for_organization", Callers.OTHER_ORG)
                .get("/api/v1/runs")
                .then()
                .statusCode(403)
                .body("code", equalTo("AUTH.ADMIN_REQUIRED"));
        as(admin).get("/api/v1/runs/{id}", outsidersRun).then().statusCode(404);
        as(member)
                .queryParam("for_organization", TestApi.ORG)
                .get("/api/v1/runs")
                .then()
                .statusCode(403)
                .body("detail", org.hamcrest.Matchers.containsString("for_organization"));

        Callers.as(operator, "platform")
                .queryParam("for_organization", Callers.OTHER_ORG)
                .queryParam("submitted_by", outsider)
                .get("/api/v1/runs")
                .then()
                .statusCode(200)
                .body("run_id", contains(outsidersRun));
        Callers.as(operator, "platform")
                .get("/api/v1/runs/{id}", membersRun)
                .then()
                .statusCode(200);
        Callers.as(operator, "platform")
                .queryParam("submitted_by", member)
                .queryParam("organization_id", TestApi.ORG)
                .get("/api/v1/runs")
                .then()
                .body("run_id", containsInAnyOrder(membersRun.toString()));
    }

    private static Map<String, Object> tagged(String tag) {
        Map<String, Object> body = testRun(1);
        body.put("custom_metadata", Map.of("sdk", Map.of("tags", java.util.List.of(tag))));
        return body;
    }

    private static void share(String owner, UUID runId, String with) {
        as(owner)
                .body(Map.of(
                        "resource_type", "run",
                        "resource_id", runId.toString(),
                        "subject_type", "user",
                        "subject_id", with,
                        "relation", "viewer"))
                .post("/api/v1/access/grants")
                .then()
                .statusCode(201);
    }
}
