package org.tessera.orchestrator.isolation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.tessera.orchestrator.support.TestApi.as;
import static org.tessera.orchestrator.support.TestApi.freshUser;
import static org.tessera.orchestrator.support.TestApi.submit;
import static org.tessera.orchestrator.support.TestApi.testRun;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.tessera.contracts.RunStateChanged;
import org.tessera.contracts.Topics;
import org.tessera.orchestrator.support.Callers;
import org.tessera.orchestrator.support.FinishedRuns;
import org.tessera.orchestrator.support.KafkaProbe;
import org.tessera.orchestrator.support.ObjectStoreTestResource;
import org.tessera.orchestrator.support.TestApi;
import org.tessera.testkit.JwtTestResource;
import org.tessera.testkit.KafkaTestResource;
import org.tessera.testkit.PostgresTestResource;

/**
 * What one user has stays theirs (docs/organizations.md, "Sharing"): every id of a run, item, artifact, grant or share
 * token answers 404 to a user of another organization and to a colleague without a grant, whatever they try, and
 * refused submissions leave nothing behind.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(ObjectStoreTestResource.class)
class IsolationTest {

    @Test
    void everyIdOfAnotherUserIsNotFoundForOtherOrganizationsAndForColleaguesWithoutAGrant() {
        String owner = freshUser();
        FinishedRuns.Finished run = FinishedRuns.withOneOutput(owner);
        UUID open = submit(owner, testRun(1));
        String grantId = as(owner)
                .body(Map.of(
                        "resource_type", "run",
                        "resource_id", run.runId().toString(),
                        "subject_type", "user",
                        "subject_id", freshUser(),
                        "relation", "viewer"))
                .post("/api/v1/access/grants")
                .then()
                .statusCode(201)
                .extract()
                .path("grant_id");
        String shareTokenId = as(owner)
                .body(Map.of())
                .post("/api/v1/access/share-tokens")
                .then()
                .statusCode(201)
                .extract()
                .path("share_token_id");

        Map<String, Supplier<RequestSpecification>> intruders = new LinkedHashMap<>();
        String outsider = Callers.otherOrganizationMember();
        String colleague = freshUser();
        intruders.put("a user of another organization", () -> Callers.as(outsider, Callers.OTHER_ORG));
        intruders.put("a colleague without a grant", () -> as(colleague));

        String runPath = "/api/v1/runs/" + run.runId();
        for (Map.Entry<String, Supplier<RequestSpecification>> intruder : intruders.entrySet()) {
            Supplier<RequestSpecification> as = intruder.getValue();
            Map<String, Integer> statuses = new LinkedHashMap<>();
            statuses.put("GET run", as.get().get(runPath).statusCode());
            statuses.put(
                    "POST cancel",
                    as.get().post("/api/v1/runs/" + open + "/cancel").statusCode());
            statuses.put("GET items", as.get().get(runPath + "/items").statusCode());
            statuses.put(
                    "GET item",
                    as.get().get(runPath + "/items/" + run.externalId()).statusCode());
            statuses.put(
                    "GET artifact file",
                    as.get()
                            .redirects()
                            .follow(false)
                            .get(runPath + "/artifacts/" + run.artifactId() + "/file")
                            .statusCode());
            statuses.put(
                    "DELETE artifacts", as.get().delete(runPath + "/artifacts").statusCode());
            statuses.put(
                    "PUT run custom metadata",
                    as.get()
                            .body(Map.of("custom_metadata", Map.of("taken", true)))
                            .put(runPath + "/custom-metadata")
                            .statusCode());
            statuses.put(
                    "PUT item custom metadata",
                    as.get()
                            .body(Map.of("custom_metadata", Map.of("taken", true)))
                            .put(runPath + "/items/" + run.externalId() + "/custom-metadata")
                            .statusCode());
            statuses.put(
                    "POST grant on the run",
                    as.get()
                            .body(Map.of(
                                    "resource_type", "run",
                                    "resource_id", run.runId().toString(),
                                    "subject_type", "organization_user",
                                    "relation", "viewer"))
                            .post("/api/v1/access/grants")
                            .statusCode());
            statuses.put(
                    "GET grant",
                    as.get().get("/api/v1/access/grants/" + grantId).statusCode());
            statuses.put(
                    "DELETE grant",
                    as.get().delete("/api/v1/access/grants/" + grantId).statusCode());
            statuses.put(
                    "GET share token",
                    as.get().get("/api/v1/access/share-tokens/" + shareTokenId).statusCode());
            statuses.put(
                    "DELETE share token",
                    as.get()
                            .delete("/api/v1/access/share-tokens/" + shareTokenId)
                            .statusCode());
            assertThat(statuses)
                    .as(intruder.getKey())
                    .allSatisfy((call, status) -> assertThat(status)
                            .as(intruder.getKey() + ": " + call)
                            .isEqualTo(404));

            as.get()
                    .queryParam("resource_id", run.runId().toString())
                    .get("/api/v1/access/grants")
                    .then()
                    .statusCode(200)
                    .body("$", empty());
            as.get()
                    .queryParam("run_id", run.runId().toString())
                    .get("/api/v1/access/share-tokens")
                    .then()
                    .statusCode(200)
                    .body("$", empty());
            as.get()
                    .queryParam("submitted_by", owner)
                    .get("/api/v1/runs")
                    .then()
                    .statusCode(200)
                    .body("$", empty());
        }

        // Nothing they tried changed anything.
        as(owner).get("/api/v1/runs/{id}", open).then().body("state", equalTo("PENDING"));
        as(owner).get(runPath).then().body("custom_metadata", equalTo(null));
        as(owner)
                .get(runPath + "/items/" + run.externalId())
                .then()
                .body("custom_metadata", equalTo(null))
                .body("output_artifacts[0].output", equalTo("AVAILABLE"));
        assertThat(ObjectStoreTestResource.store().exists(run.objectKey())).isTrue();
        as(owner).get("/api/v1/access/grants/" + grantId).then().body("revoked", equalTo(false));
        as(owner).get("/api/v1/access/share-tokens/" + shareTokenId).then().body("revoked", equalTo(false));
        as(owner)
                .queryParam("resource_id", run.runId().toString())
                .get("/api/v1/access/grants")
                .then()
                .body("grant_id", contains(grantId));
    }

    @Test
    void aCustomMetadataFilterCannotReachOtherUsersRuns() {
        String owner = freshUser();
        String colleague = freshUser();
        String marker = "isolated-" + UUID.randomUUID();
        Map<String, Object> body = testRun(1);
        body.put("custom_metadata", Map.of("sdk", Map.of("tags", List.of(marker))));
        UUID runId = submit(owner, body);
        String filter = "$.sdk.tags[*] ? (@ == \"" + marker + "\")";

        as(owner)
                .queryParam("custom_metadata", filter)
                .get("/api/v1/runs")
                .then()
                .body("run_id", contains(runId.toString()));
        as(colleague)
                .queryParam("custom_metadata", filter)
                .get("/api/v1/runs")
                .then()
                .statusCode(200)
                .body("$", empty());
        as(colleague)
                .queryParam("custom_metadata", filter)
                .queryParam("organization_id", "my_org")
                .get("/api/v1/runs")
                .then()
                .body("$", empty());
        Callers.as(Callers.otherOrganizationMember(), Callers.OTHER_ORG)
                .queryParam("custom_metadata", filter)
                .queryParam("organization_id", TestApi.ORG)
                .get("/api/v1/runs")
                .then()
                .body("$", empty());
        // An item filter needs a run the caller can read first.
        as(colleague)
                .queryParam("custom_metadata", "$")
                .get("/api/v1/runs/{id}/items", runId)
                .then()
                .statusCode(404);
    }

    @Test
    void aRunOf501ItemsIsRefusedAndLeavesNoRunAndNoMessage() {
        String user = freshUser();
        as(user).body(testRun(501))
                .post("/api/v1/runs")
                .then()
                .statusCode(422)
                .body("detail[0].loc", contains("body", "items"))
                .body("detail[0].type", equalTo("too_long"));
        assertNothingStoredOrSentFor(user);
    }

    @Test
    void oversizedCustomMetadataIsRefusedOnSubmissionAndOnReplacementLeavingNothingBehind() {
        String user = freshUser();
        String blob = "x".repeat(70_000);
        Map<String, Object> runLevel = testRun(1);
        runLevel.put("custom_metadata", Map.of("blob", blob));
        as(user).body(runLevel)
                .post("/api/v1/runs")
                .then()
                .statusCode(422)
                .body("detail[0].loc", contains("body", "custom_metadata"))
                .body("detail[0].type", equalTo("too_large"));
        Map<String, Object> itemLevel = testRun(2);
        @SuppressWarnings("unchecked")
        Map<String, Object> second = ((List<Map<String, Object>>) itemLevel.get("items")).get(1);
        second.put("custom_metadata", Map.of("blob", blob));
        as(user).body(itemLevel)
                .post("/api/v1/runs")
                .then()
                .statusCode(422)
                .body("detail[0].loc", contains("body", "items", 1, "custom_metadata"));
        assertNothingStoredOrSentFor(user);

        UUID runId = submit(user, testRun(1));
        String text = FinishedRuns.queryString("SELECT custom_metadata_text FROM run WHERE run_id = ?", runId);
        as(user).body(Map.of("custom_metadata", Map.of("blob", blob)))
                .put("/api/v1/runs/{id}/custom-metadata", runId)
                .then()
                .statusCode(422)
                .body("detail[0].type", equalTo("too_large"));
        as(user).body(Map.of("custom_metadata", Map.of("blob", blob)))
                .put("/api/v1/runs/{id}/items/slide-0/custom-metadata", runId)
                .then()
                .statusCode(422);
        assertThat(FinishedRuns.queryString("SELECT custom_metadata_text FROM run WHERE run_id = ?", runId))
                .isEqualTo(text);
        assertThat(FinishedRuns.queryString(
                        "SELECT count(*) FROM item WHERE run_id = ? AND custom_metadata_text IS NOT NULL", runId))
                .isEqualTo("0");
    }

    /**
     * No run row, and nothing in the outbox or on Kafka for the user. The outbox relay publishes and deletes rows in
     * order, so once a later marker run of the same user is on Kafka, anything the refused request had written would
     * be there too.
     */
    private static void assertNothingStoredOrSentFor(String user) {
        assertThat(FinishedRuns.queryString("SELECT count(*) FROM run WHERE submitted_by = ?", user))
                .isEqualTo("0");
        // Large payloads rest compressed (V19); those reach Kafka, which is read below.
        assertThat(FinishedRuns.queryString(
                        "SELECT count(*) FROM outbox WHERE payload_lz4_size IS NULL"
                                + " AND position(? IN convert_from(payload, 'UTF8')) > 0",
                        user))
                .isEqualTo("0");
        UUID marker = submit(user, testRun(1));
        KafkaProbe.awaitEnvelopes(
                Topics.RUN_EVENTS, RunStateChanged.class, e -> e.runId().equals(marker), 1);
        assertThat(KafkaProbe.awaitEnvelopes(
                        Topics.RUN_EVENTS,
                        RunStateChanged.class,
                        e -> user.equals(e.payload().submittedBy()),
                        1))
                .extracting(e -> e.runId())
                .containsOnly(marker);
        assertThat(FinishedRuns.queryString("SELECT count(*) FROM run WHERE submitted_by = ?", user))
                .isEqualTo("1");
    }
}
