package org.tessera.orchestrator.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.tessera.orchestrator.support.TestApi.as;
import static org.tessera.orchestrator.support.TestApi.freshUser;
import static org.tessera.orchestrator.support.TestApi.submit;
import static org.tessera.orchestrator.support.TestApi.testRun;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.tessera.orchestrator.support.Callers;
import org.tessera.orchestrator.support.FinishedRuns;
import org.tessera.orchestrator.support.ObjectStoreTestResource;
import org.tessera.orchestrator.tenancy.domain.Role;
import org.tessera.testkit.JwtTestResource;
import org.tessera.testkit.KafkaTestResource;
import org.tessera.testkit.PostgresTestResource;

@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(ObjectStoreTestResource.class)
class SharingApiTest {

    @Test
    void aViewerGrantLetsAColleagueReadAndDownloadButNotChangeTheRunAndRevokingEndsItAtOnce() {
        String owner = freshUser();
        String colleague = freshUser();
        FinishedRuns.Finished run = FinishedRuns.withOneOutput(owner);
        assertCannotRead(colleague, run);

        String grantId = grant(owner, run.runId(), "user", colleague)
                .statusCode(201)
                .body("resource_type", equalTo("run"))
                .body("resource_id", equalTo(run.runId().toString()))
                .body("subject_type", equalTo("user"))
                .body("subject_id", equalTo(colleague))
                .body("relation", equalTo("viewer"))
                .body("created_by", equalTo(owner))
                .body("revoked", equalTo(false))
                .extract()
                .path("grant_id");

        as(colleague).get("/api/v1/runs/{id}", run.runId()).then().statusCode(200);
        as(colleague).get("/api/v1/runs/{id}/items", run.runId()).then().statusCode(200);
        as(colleague)
                .get("/api/v1/runs/{id}/items/{external}", run.runId(), run.externalId())
                .then()
                .statusCode(200);
        as(colleague)
                .redirects()
                .follow(false)
                .get("/api/v1/runs/{id}/artifacts/{a}/file", run.runId(), run.artifactId())
                .then()
                .statusCode(307);
        // Shared runs appear where the caller asks for their organization's runs, not among their own.
        as(colleague)
                .get("/api/v1/runs")
                .then()
                .body("run_id", not(hasItem(run.runId().toString())));
        as(colleague)
                .queryParam("organization_id", "my_org")
                .get("/api/v1/runs")
                .then()
                .body("run_id", hasItem(run.runId().toString()));

        // Viewers read; only the owner changes.
        as(colleague)
                .post("/api/v1/runs/{id}/cancel", run.runId())
                .then()
                .statusCode(403)
                .body("code", equalTo("ACCESS.OWNER_ONLY"));
        as(colleague)
                .body(Map.of("custom_metadata", Map.of("x", 1)))
                .put("/api/v1/runs/{id}/custom-metadata", run.runId())
                .then()
                .statusCode(403)
                .body("code", equalTo("ACCESS.OWNER_ONLY"));
        as(colleague)
                .body(Map.of("custom_metadata", Map.of("x", 1)))
                .put("/api/v1/runs/{id}/items/{external}/custom-metadata", run.runId(), run.externalId())
                .then()
                .statusCode(403);
        as(colleague)
                .delete("/api/v1/runs/{id}/artifacts", run.runId())
                .then()
                .statusCode(403)
                .body("code", equalTo("ACCESS.OWNER_ONLY"));
        // Nor may a viewer share further.
        grant(colleague, run.runId(), "organization_user", null)
                .statusCode(403)
                .body("code", equalTo("ACCESS.SHARE_NOT_ALLOWED"));

        // The grantee sees the grant but cannot revoke it; the owner can, once.
        as(colleague).get("/api/v1/access/grants/{id}", grantId).then().statusCode(200);
        as(colleague)
                .delete("/api/v1/access/grants/{id}", grantId)
                .then()
                .statusCode(403)
                .body("code", equalTo("ACCESS.REVOKE_NOT_ALLOWED"));
        as(owner)
                .delete("/api/v1/access/grants/{id}", grantId)
                .then()
                .statusCode(200)
                .body("revoked", equalTo(true));
        as(owner)
                .delete("/api/v1/access/grants/{id}", grantId)
                .then()
                .statusCode(409)
                .body("code", equalTo("ACCESS.GRANT_ALREADY_REVOKED"));
        assertCannotRead(colleague, run);
    }

    @Test
    void grantsToAnOrganizationsUsersOrAdminsReachExactlyThem() {
        String owner = freshUser();
        String member = freshUser();
        String admin = Callers.of(Role.ADMIN);
        String outsider = Callers.otherOrganizationMember();
        UUID runId = submit(owner, testRun(1));

        String toAdmins = grant(owner, runId, "organization_admin", null)
                .statusCode(201)
                .body("subject_id", equalTo("demo"))
                .extract()
                .path("grant_id");
        as(member).get("/api/v1/runs/{id}", runId).then().statusCode(404);
        as(admin).get("/api/v1/runs/{id}", runId).then().statusCode(200);

        String toUsers = grant(owner, runId, "organization_user", "demo")
                .statusCode(201)
                .extract()
                .path("grant_id");
        as(member).get("/api/v1/runs/{id}", runId).then().statusCode(200);
        Callers.as(outsider, Callers.OTHER_ORG)
                .get("/api/v1/runs/{id}", runId)
                .then()
                .statusCode(404);

        // Granting the same again returns the grant that exists.
        grant(owner, runId, "organization_user", null).statusCode(201).body("grant_id", equalTo(toUsers));
        as(owner).delete("/api/v1/access/grants/{id}", toUsers).then().statusCode(200);
        as(member).get("/api/v1/runs/{id}", runId).then().statusCode(404);
        assertThat(toAdmins).isNotEqualTo(toUsers);
    }

    @Test
    void aShareTokenOpensTheRunsGrantedToItUntilItIsRevokedOrExpires() throws Exception {
        String owner = freshUser();
        String outsider = Callers.otherOrganizationMember();
        FinishedRuns.Finished run = FinishedRuns.withOneOutput(owner);

        var created = as(owner)
                .body(Map.of())
                .post("/api/v1/access/share-tokens")
                .then()
                .statusCode(201)
                .body("revoked", equalTo(false))
                .body("expires_at", equalTo(null))
                .extract();
        String tokenId = created.path("share_token_id");
        String secret = created.path("share_token");
        assertThat(secret).startsWith("tst_").hasSizeGreaterThan(40);
        // Stored hashed: the database holds the SHA-256, never the secret.
        String stored = FinishedRuns.queryString(
                "SELECT secret_sha256 FROM share_token WHERE share_token_id = ?", UUID.fromString(tokenId));
        assertThat(stored)
                .isEqualTo(HexFormat.of()
                        .formatHex(
                                MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8))))
                .doesNotContain(secret);
        // Shown once: reads never carry it.
        String read = as(owner)
                .get("/api/v1/access/share-tokens/{id}", tokenId)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(read).doesNotContain(secret).doesNotContain("\"share_token\"");

        // A token opens nothing until a grant names it.
        Callers.as(outsider, Callers.OTHER_ORG)
                .queryParam("share_token", secret)
                .get("/api/v1/runs/{id}", run.runId())
                .then()
                .statusCode(404);
        grant(owner, run.runId(), "share_token", tokenId).statusCode(201);

        assertReadableWithToken(outsider, run, secret);
        Callers.as(outsider, Callers.OTHER_ORG)
                .get("/api/v1/runs/{id}", run.runId())
                .then()
                .statusCode(404);
        Callers.as(outsider, Callers.OTHER_ORG)
                .queryParam("share_token", secret + "x")
                .get("/api/v1/runs/{id}", run.runId())
                .then()
                .statusCode(404);
        // A token is for reading.
        Callers.as(outsider, Callers.OTHER_ORG)
                .queryParam("share_token", secret)
                .post("/api/v1/runs/{id}/cancel", run.runId())
                .then()
                .statusCode(404);
        as(owner)
                .queryParam("run_id", run.runId().toString())
                .get("/api/v1/access/share-tokens")
                .then()
                .statusCode(200)
                .body("share_token_id", contains(tokenId));

        // Expired: refused at once.
        FinishedRuns.execute(
                "UPDATE share_token SET expires_at = now() - interval '1 second' WHERE share_token_id = ?",
                UUID.fromString(tokenId));
        Callers.as(outsider, Callers.OTHER_ORG)
                .queryParam("share_token", secret)
                .get("/api/v1/runs/{id}", run.runId())
                .then()
                .statusCode(404);
        FinishedRuns.execute(
                "UPDATE share_token SET expires_at = NULL WHERE share_token_id = ?", UUID.fromString(tokenId));
        assertReadableWithToken(outsider, run, secret);

        // Revoked: refused at once, and revoking twice is a conflict.
        as(owner)
                .delete("/api/v1/access/share-tokens/{id}", tokenId)
                .then()
                .statusCode(200)
                .body("revoked", equalTo(true));
        Callers.as(outsider, Callers.OTHER_ORG)
                .queryParam("share_token", secret)
                .get("/api/v1/runs/{id}/items", run.runId())
                .then()
                .statusCode(404);
        as(owner)
                .delete("/api/v1/access/share-tokens/{id}", tokenId)
                .then()
                .statusCode(409)
                .body("code", equalTo("ACCESS.SHARE_TOKEN_ALREADY_REVOKED"));
        as(owner)
                .queryParam("revoked", true)
                .get("/api/v1/access/share-tokens")
                .then()
                .body("share_token_id", hasItem(tokenId));
        as(owner)
                .queryParam("revoked", false)
                .get("/api/v1/access/share-tokens")
                .then()
                .body("share_token_id", not(hasItem(tokenId)));
    }

    @Test
    void shareTokensBelongToTheirCreator() {
        String creator = freshUser();
        String other = freshUser();
        String operator = Callers.superAdmin();
        String tokenId = as(creator)
                .body(Map.of("expires_at", Instant.now().plusSeconds(3600).toString()))
                .post("/api/v1/access/share-tokens")
                .then()
                .statusCode(201)
                .extract()
                .path("share_token_id");

        as(other).get("/api/v1/access/share-tokens/{id}", tokenId).then().statusCode(404);
        as(other).delete("/api/v1/access/share-tokens/{id}", tokenId).then().statusCode(404);
        as(other).get("/api/v1/access/share-tokens").then().statusCode(200).body("share_token_id", empty());
        as(creator)
                .queryParam("created_by", "me")
                .get("/api/v1/access/share-tokens")
                .then()
                .body("share_token_id", contains(tokenId));
        Callers.as(operator, "platform")
                .queryParam("created_by", creator)
                .get("/api/v1/access/share-tokens")
                .then()
                .body("share_token_id", contains(tokenId));
        // Someone else's token cannot be granted.
        UUID otherRun = submit(other, testRun(1));
        grant(other, otherRun, "share_token", tokenId)
                .statusCode(422)
                .body("detail[0].loc", contains("body", "subject_id"));

        as(creator)
                .body(Map.of("expires_at", "2001-01-01T00:00:00Z"))
                .post("/api/v1/access/share-tokens")
                .then()
                .statusCode(422)
                .body("detail[0].loc", contains("body", "expires_at"));
        as(creator)
                .body(Map.of("expires_at", "tomorrow"))
                .post("/api/v1/access/share-tokens")
                .then()
                .statusCode(422)
                .body("detail[0].type", equalTo("datetime_parsing"));
    }

    @Test
    void onlyViewerGrantsOnRunsToSubjectsOfTheRunsOrganizationCanBeCreated() {
        String owner = freshUser();
        String stranger = freshUser();
        String outsider = Callers.otherOrganizationMember();
        UUID runId = submit(owner, testRun(1));

        Map<String, Object> editor = grantBody(runId, "user", stranger);
        editor.put("relation", "editor");
        as(owner)
                .body(editor)
                .post("/api/v1/access/grants")
                .then()
                .statusCode(422)
                .body("detail[0].loc", contains("body", "relation"))
                .body("detail[0].type", equalTo("relation_not_allowed"));
        Map<String, Object> item = grantBody(runId, "user", stranger);
        item.put("resource_type", "item");
        as(owner)
                .body(item)
                .post("/api/v1/access/grants")
                .then()
                .statusCode(422)
                .body("detail[0].loc", contains("body", "resource_type"));
        Map<String, Object> unknown = grantBody(runId, "team", stranger);
        as(owner)
                .body(unknown)
                .post("/api/v1/access/grants")
                .then()
                .statusCode(422)
                .body("detail[0].loc", contains("body", "subject_type"));
        as(owner)
                .body(Map.of("resource_type", "run"))
                .post("/api/v1/access/grants")
                .then()
                .statusCode(422)
                .body("detail.loc", hasItem(contains("body", "resource_id")));

        grant(owner, runId, "user", outsider)
                .statusCode(422)
                .body("detail[0].loc", contains("body", "subject_id"))
                .body("detail[0].type", equalTo("subject_not_found"));
        grant(owner, runId, "organization_user", Callers.OTHER_ORG)
                .statusCode(422)
                .body("detail[0].type", equalTo("organization_mismatch"));
        Map<String, Object> byEmail = grantBody(runId, "user", null);
        byEmail.put("subject_email", stranger + "@demo.tessera.local");
        as(owner)
                .body(byEmail)
                .post("/api/v1/access/grants")
                .then()
                .statusCode(201)
                .body("subject_id", equalTo(stranger));

        // A run the caller cannot see does not exist for them.
        grant(stranger, UUID.randomUUID(), "user", owner).statusCode(404);
        Callers.as(outsider, Callers.OTHER_ORG)
                .body(grantBody(runId, "user", outsider))
                .post("/api/v1/access/grants")
                .then()
                .statusCode(404);
    }

    @Test
    void grantsAreListedForTheirOwnersAndTheOrganizationsAdminsAndHiddenFromEveryoneElse() {
        String owner = freshUser();
        String colleague = freshUser();
        String stranger = freshUser();
        String admin = Callers.of(Role.ADMIN);
        String outsider = Callers.otherOrganizationMember();
        UUID runId = submit(owner, testRun(1));
        String toColleague =
                grant(owner, runId, "user", colleague).statusCode(201).extract().path("grant_id");
        String toUsers = grant(admin, runId, "organization_user", null)
                .statusCode(201)
                .extract()
                .path("grant_id");

        as(owner)
                .queryParam("resource_id", runId.toString())
                .queryParam("sort", "created_at")
                .get("/api/v1/access/grants")
                .then()
                .statusCode(200)
                .body("grant_id", contains(toColleague, toUsers));
        as(owner)
                .queryParam("resource_id", runId.toString())
                .queryParam("subject_type", "user")
                .get("/api/v1/access/grants")
                .then()
                .body("grant_id", contains(toColleague));
        as(owner)
                .queryParam("resource_id", runId.toString())
                .queryParam("relation", "viewer")
                .queryParam("relation", "editor")
                .queryParam("revoked", false)
                .get("/api/v1/access/grants")
                .then()
                .body("grant_id", org.hamcrest.Matchers.hasSize(2));
        as(admin)
                .queryParam("resource_id", runId.toString())
                .get("/api/v1/access/grants")
                .then()
                .body("grant_id", org.hamcrest.Matchers.hasSize(2));
        as(stranger)
                .queryParam("resource_id", runId.toString())
                .get("/api/v1/access/grants")
                .then()
                .body("$", empty());
        as(stranger).get("/api/v1/access/grants/{id}", toColleague).then().statusCode(404);
        as(stranger).delete("/api/v1/access/grants/{id}", toColleague).then().statusCode(404);
        Callers.as(outsider, Callers.OTHER_ORG)
                .get("/api/v1/access/grants/{id}", toUsers)
                .then()
                .statusCode(404);
        as(owner)
                .queryParam("subject_type", "group")
                .get("/api/v1/access/grants")
                .then()
                .statusCode(422);
        as(owner)
                .queryParam("revoked", "maybe")
                .get("/api/v1/access/grants")
                .then()
                .statusCode(422);
        as(owner)
                .queryParam("sort", "secret")
                .get("/api/v1/access/grants")
                .then()
                .statusCode(422);
        as(owner).get("/api/v1/access/grants/not-a-uuid").then().statusCode(422);
    }

    private static void assertCannotRead(String user, FinishedRuns.Finished run) {
        as(user).get("/api/v1/runs/{id}", run.runId()).then().statusCode(404);
        as(user).get("/api/v1/runs/{id}/items", run.runId()).then().statusCode(404);
        as(user).get("/api/v1/runs/{id}/items/{external}", run.runId(), run.externalId())
                .then()
                .statusCode(404);
        as(user).redirects()
                .follow(false)
                .get("/api/v1/runs/{id}/artifacts/{a}/file", run.runId(), run.artifactId())
                .then()
                .statusCode(404);
    }

    private static void assertReadableWithToken(String user, FinishedRuns.Finished run, String secret) {
        Callers.as(user, Callers.OTHER_ORG)
                .queryParam("share_token", secret)
                .get("/api/v1/runs/{id}", run.runId())
                .then()
                .statusCode(200)
                .body("run_id", equalTo(run.runId().toString()));
        Callers.as(user, Callers.OTHER_ORG)
                .queryParam("share_token", secret)
                .get("/api/v1/runs/{id}/items", run.runId())
                .then()
                .statusCode(200)
                .body("external_id", contains(run.externalId()));
        Callers.as(user, Callers.OTHER_ORG)
                .queryParam("share_token", secret)
                .get("/api/v1/runs/{id}/items/{external}", run.runId(), run.externalId())
                .then()
                .statusCode(200);
        Callers.as(user, Callers.OTHER_ORG)
                .queryParam("share_token", secret)
                .redirects()
                .follow(false)
                .get("/api/v1/runs/{id}/artifacts/{a}/file", run.runId(), run.artifactId())
                .then()
                .statusCode(307);
    }

    static Map<String, Object> grantBody(UUID runId, String subjectType, String subjectId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("resource_type", "run");
        body.put("resource_id", runId.toString());
        body.put("subject_type", subjectType);
        body.put("subject_id", subjectId);
        body.put("relation", "viewer");
        return body;
    }

    static ValidatableResponse grant(String caller, UUID runId, String subjectType, String subjectId) {
        return as(caller)
                .body(grantBody(runId, subjectType, subjectId))
                .post("/api/v1/access/grants")
                .then();
    }
}
