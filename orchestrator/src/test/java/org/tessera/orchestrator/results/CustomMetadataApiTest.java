package org.tessera.orchestrator.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.tessera.orchestrator.support.TestApi.as;
import static org.tessera.orchestrator.support.TestApi.freshUser;
import static org.tessera.orchestrator.support.TestApi.submit;
import static org.tessera.orchestrator.support.TestApi.testRun;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.tessera.orchestrator.support.Callers;
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
class CustomMetadataApiTest {

    /** Key order and the exact decimal text matter: clients compare what they stored with what they read back. */
    private static final String VERBATIM =
            "{\"zeta\":1.50,\"alpha\":{\"b\":2,\"a\":[1.0,\"x\"]},\"sdk\":{\"tags\":[\"t\"]}}";

    @Test
    void aRunsCustomMetadataIsReplacedVerbatimAndOnlyOverTheChecksumTheClientRead() {
        String user = freshUser();
        UUID runId = submit(user, testRun(1));
        String original = as(user).get("/api/v1/runs/{id}", runId)
                .then()
                .body("custom_metadata", nullValue())
                .extract()
                .path("custom_metadata_checksum");
        assertThat(original).isNull();

        String checksum = as(user).body("{\"custom_metadata\":" + VERBATIM + "}")
                .put("/api/v1/runs/{id}/custom-metadata", runId)
                .then()
                .statusCode(200)
                .extract()
                .path("custom_metadata_checksum");
        String read = as(user).get("/api/v1/runs/{id}", runId).then().extract().asString();
        assertThat(read).contains("\"custom_metadata\":" + VERBATIM);
        assertThat(read).contains("\"custom_metadata_checksum\":\"" + checksum + "\"");

        // A stale checksum: refused, nothing changes.
        as(user).body(Map.of("custom_metadata", Map.of("study", "b"), "custom_metadata_checksum", "00000000"))
                .put("/api/v1/runs/{id}/custom-metadata", runId)
                .then()
                .statusCode(412)
                .body("code", equalTo("RESOURCE.CHECKSUM_MISMATCH"))
                .body("detail", org.hamcrest.Matchers.containsString("custom_metadata_checksum"));
        as(user).get("/api/v1/runs/{id}", runId).then().body("custom_metadata_checksum", equalTo(checksum));

        // The checksum just read: accepted.
        String next = as(user).body(
                        Map.of("custom_metadata", Map.of("study", "b"), "custom_metadata_checksum", checksum))
                .put("/api/v1/runs/{id}/custom-metadata", runId)
                .then()
                .statusCode(200)
                .extract()
                .path("custom_metadata_checksum");
        assertThat(next).isNotEqualTo(checksum);
        as(user).queryParam("custom_metadata", "$.study ? (@ == \"b\")")
                .get("/api/v1/runs")
                .then()
                .body("run_id", contains(runId.toString()));

        // The old checksum is stale now.
        as(user).body(Map.of("custom_metadata", Map.of("study", "c"), "custom_metadata_checksum", checksum))
                .put("/api/v1/runs/{id}/custom-metadata", runId)
                .then()
                .statusCode(412);

        // Null clears it, and the checksum with it.
        as(user).body("{\"custom_metadata\":null}")
                .put("/api/v1/runs/{id}/custom-metadata", runId)
                .then()
                .statusCode(200)
                .body("custom_metadata_checksum", nullValue());
        as(user).get("/api/v1/runs/{id}", runId)
                .then()
                .body("custom_metadata", nullValue())
                .body("custom_metadata_checksum", nullValue());
    }

    @Test
    void anItemsCustomMetadataIsReplacedTheSameWay() {
        String user = freshUser();
        UUID runId = submit(user, testRun(2));

        String checksum = as(user).body("{\"custom_metadata\":" + VERBATIM + "}")
                .put("/api/v1/runs/{id}/items/slide-1/custom-metadata", runId)
                .then()
                .statusCode(200)
                .extract()
                .path("custom_metadata_checksum");
        String item = as(user).get("/api/v1/runs/{id}/items/slide-1", runId)
                .then()
                .extract()
                .asString();
        assertThat(item)
                .contains("\"custom_metadata\":" + VERBATIM)
                .contains("\"custom_metadata_checksum\":\"" + checksum + "\"");
        as(user).get("/api/v1/runs/{id}/items/slide-0", runId).then().body("custom_metadata", nullValue());
        as(user).queryParam("custom_metadata", "$.zeta ? (@ == 1.5)")
                .get("/api/v1/runs/{id}/items", runId)
                .then()
                .body("external_id", contains("slide-1"));

        as(user).body(Map.of("custom_metadata", Map.of("a", 1), "custom_metadata_checksum", "ffffffff"))
                .put("/api/v1/runs/{id}/items/slide-1/custom-metadata", runId)
                .then()
                .statusCode(412)
                .body("code", equalTo("RESOURCE.CHECKSUM_MISMATCH"));
        as(user).body(Map.of("custom_metadata", Map.of("a", 1), "custom_metadata_checksum", checksum))
                .put("/api/v1/runs/{id}/items/slide-1/custom-metadata", runId)
                .then()
                .statusCode(200);
        as(user).body(Map.of("custom_metadata", Map.of("a", 1)))
                .put("/api/v1/runs/{id}/items/no-such-slide/custom-metadata", runId)
                .then()
                .statusCode(404);
    }

    @Test
    void badOrOversizedMetadataIsRefusedNamingTheFieldAndNothingChanges() {
        String user = freshUser();
        UUID runId = submit(user, testRun(1));
        String checksum = as(user).body(Map.of("custom_metadata", Map.of("keep", true)))
                .put("/api/v1/runs/{id}/custom-metadata", runId)
                .then()
                .statusCode(200)
                .extract()
                .path("custom_metadata_checksum");

        as(user).body("{\"custom_metadata\":[1,2]}")
                .put("/api/v1/runs/{id}/custom-metadata", runId)
                .then()
                .statusCode(422)
                .body("detail[0].loc", contains("body", "custom_metadata"));
        as(user).body("{\"custom_metadata_checksum\":5}")
                .put("/api/v1/runs/{id}/custom-metadata", runId)
                .then()
                .statusCode(422)
                .body("detail[0].loc", contains("body", "custom_metadata_checksum"));
        as(user).body("not json")
                .put("/api/v1/runs/{id}/custom-metadata", runId)
                .then()
                .statusCode(422)
                .body("detail[0].type", equalTo("json_invalid"));
        as(user).body(Map.of("custom_metadata", Map.of("blob", "x".repeat(70_000))))
                .put("/api/v1/runs/{id}/custom-metadata", runId)
                .then()
                .statusCode(422)
                .body("detail[0].loc", contains("body", "custom_metadata"))
                .body("detail[0].type", equalTo("too_large"))
                .body("detail[0].msg", org.hamcrest.Matchers.containsString("65536"));
        as(user).body(Map.of("custom_metadata", Map.of("blob", "x".repeat(70_000))))
                .put("/api/v1/runs/{id}/items/slide-0/custom-metadata", runId)
                .then()
                .statusCode(422)
                .body("detail[0].type", equalTo("too_large"));

        as(user).get("/api/v1/runs/{id}", runId)
                .then()
                .body("custom_metadata.keep", equalTo(true))
                .body("custom_metadata_checksum", equalTo(checksum));
        as(user).get("/api/v1/runs/{id}/items/slide-0", runId).then().body("custom_metadata", nullValue());
    }

    @Test
    void ofConcurrentReplacementsOverTheSameChecksumExactlyOneWins() throws Exception {
        String user = freshUser();
        UUID runId = submit(user, testRun(1));
        String checksum = as(user).body(Map.of("custom_metadata", Map.of("version", 0)))
                .put("/api/v1/runs/{id}/custom-metadata", runId)
                .then()
                .statusCode(200)
                .extract()
                .path("custom_metadata_checksum");

        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> statuses = new ArrayList<>();
        try {
            for (int i = 1; i <= writers; i++) {
                Map<String, Object> body =
                        Map.of("custom_metadata", Map.of("version", i), "custom_metadata_checksum", checksum);
                statuses.add(pool.submit(() -> {
                    start.await();
                    return as(user).body(body)
                            .put("/api/v1/runs/{id}/custom-metadata", runId)
                            .statusCode();
                }));
            }
            start.countDown();
            List<Integer> answered = new ArrayList<>();
            for (Future<Integer> status : statuses) {
                answered.add(status.get(60, TimeUnit.SECONDS));
            }
            assertThat(answered).containsOnly(200, 412);
            assertThat(answered).filteredOn(status -> status == 200).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        as(user).get("/api/v1/runs/{id}", runId)
                .then()
                .body("custom_metadata.version", org.hamcrest.Matchers.greaterThan(0));
    }

    @Test
    void onlyTheOwnerChangesCustomMetadata() {
        String owner = freshUser();
        String admin = Callers.of(Role.ADMIN);
        String stranger = freshUser();
        UUID runId = submit(owner, testRun(1));

        as(admin)
                .body(Map.of("custom_metadata", Map.of("a", 1)))
                .put("/api/v1/runs/{id}/custom-metadata", runId)
                .then()
                .statusCode(403)
                .body("code", equalTo("ACCESS.OWNER_ONLY"));
        as(stranger)
                .body(Map.of("custom_metadata", Map.of("a", 1)))
                .put("/api/v1/runs/{id}/custom-metadata", runId)
                .then()
                .statusCode(404);
        as(stranger)
                .body(Map.of("custom_metadata", Map.of("a", 1)))
                .put("/api/v1/runs/{id}/items/slide-0/custom-metadata", runId)
                .then()
                .statusCode(404);
        as(owner).get("/api/v1/runs/{id}", runId).then().body("custom_metadata", nullValue());
    }
}
