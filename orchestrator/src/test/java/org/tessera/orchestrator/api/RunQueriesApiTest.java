package org.tessera.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.tessera.orchestrator.support.TestApi.as;
import static org.tessera.orchestrator.support.TestApi.freshUser;
import static org.tessera.orchestrator.support.TestApi.item;
import static org.tessera.orchestrator.support.TestApi.run;
import static org.tessera.orchestrator.support.TestApi.submit;
import static org.tessera.orchestrator.support.TestApi.testRun;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.tessera.contracts.DerivedIds;
import org.tessera.orchestrator.support.ObjectStoreTestResource;
import org.tessera.testkit.JwtTestResource;
import org.tessera.testkit.KafkaTestResource;
import org.tessera.testkit.PostgresTestResource;

@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(ObjectStoreTestResource.class)
class RunQueriesApiTest {

    @Test
    void runsArePagedNewestFirstAndAPagePastTheEndIsEmpty() {
        String user = freshUser();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            ids.add(submit(user, testRun(1)).toString());
        }
        List<String> newestFirst = new ArrayList<>(ids).reversed();

        as(user).queryParam("page_size", 5)
                .get("/api/v1/runs")
                .then()
                .statusCode(200)
                .body("run_id", contains(newestFirst.subList(0, 5).toArray()));
        as(user).queryParam("page_size", 5)
                .queryParam("page", 2)
                .get("/api/v1/runs")
                .then()
                .statusCode(200)
                .body("run_id", contains(newestFirst.subList(5, 7).toArray()));
        as(user).queryParam("page_size", 5)
                .queryParam("page", 3)
                .get("/api/v1/runs")
                .then()
                .body("$", empty());
        as(user).queryParam("sort", "submitted_at").get("/api/v1/runs").then().body("run_id", contains(ids.toArray()));
        as(user).queryParam("page_size", 101).get("/api/v1/runs").then().statusCode(422);
        as(user).queryParam("page", 0).get("/api/v1/runs").then().statusCode(422);
        as(user).queryParam("sort", "password").get("/api/v1/runs").then().statusCode(422);
    }

    @Test
    void runsFilterByApplicationVersionExternalIdAndSubmitter() {
        String user = freshUser();
        UUID a = submit(user, run("test-app", "1.0.0", 1));
        Map<String, Object> body = run("test-app", null, 0);
        body.put("items", List.of(item("special-slide")));
        UUID b = submit(user, body);

        as(user).queryParam("application_version", "1.0.0")
                .get("/api/v1/runs")
                .then()
                .body("run_id", contains(a.toString()));
        as(user).queryParam("external_id", "special-slide")
                .get("/api/v1/runs")
                .then()
                .body("run_id", contains(b.toString()));
        as(user).queryParam("application_id", "he-tme")
                .get("/api/v1/runs")
                .then()
                .body("$", empty());
        as(user).queryParam("submitted_by", "me").get("/api/v1/runs").then().body("$", hasSize(2));
        as(user).queryParam("submitted_by", "someone-else")
                .get("/api/v1/runs")
                .then()
                .body("$", empty());
    }

    @Test
    void runsFilterByCustomMetadataJsonPath() {
        String user = freshUser();
        Map<String, Object> tagged = testRun(1);
        tagged.put("custom_metadata", Map.of("sdk", Map.of("tags", List.of("x", "cohort-7"), "note", "Quick CHECK")));
        UUID withTag = submit(user, tagged);
        Map<String, Object> other = testRun(1);
        other.put("custom_metadata", Map.of("sdk", Map.of("tags", List.of("y")), "confidence", 0.9));
        UUID confident = submit(user, other);
        submit(user, testRun(1));

        as(user).queryParam("custom_metadata", "$.sdk.tags[*] ? (@ == \"cohort-7\")")
                .get("/api/v1/runs")
                .then()
                .statusCode(200)
                .body("run_id", contains(withTag.toString()));
        as(user).queryParam("custom_metadata", "$.sdk.note ? (@ like_regex \"check\" flag \"i\")")
                .get("/api/v1/runs")
                .then()
                .body("run_id", contains(withTag.toString()));
        as(user).queryParam("custom_metadata", "confidence ? (@ > 0.75)")
                .get("/api/v1/runs")
                .then()
                .body("run_id", contains(confident.toString()));
        as(user).queryParam("custom_metadata", "$.sdk ? (@.tags[*] == ")
                .get("/api/v1/runs")
                .then()
                .statusCode(422)
                .body("detail[0].loc", contains("query", "custom_metadata"));
    }

    @Test
    void itemsArePagedInSubmissionOrderAndFiltered() {
        String user = freshUser();
        Map<String, Object> body = testRun(12);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> items = (List<Map<String, Object>>) body.get("items");
        items.get(3).put("custom_metadata", Map.of("priority", "high"));
        UUID runId = submit(user, body);

        List<String> firstPage = as(user).queryParam("page_size", 5)
                .get("/api/v1/runs/{id}/items", runId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("external_id", String.class);
        assertThat(firstPage).containsExactly("slide-0", "slide-1", "slide-2", "slide-3", "slide-4");
        as(user).queryParam("page_size", 5)
                .queryParam("page", 3)
                .get("/api/v1/runs/{id}/items", runId)
                .then()
                .body("external_id", contains("slide-10", "slide-11"));
        as(user).queryParam("page_size", 5)
                .queryParam("page", 4)
                .get("/api/v1/runs/{id}/items", runId)
                .then()
                .body("$", empty());
        as(user).queryParam("sort", "-external_id")
                .queryParam("page_size", 5)
                .get("/api/v1/runs/{id}/items", runId)
                .then()
                .body("external_id", contains("slide-9", "slide-8", "slide-7", "slide-6", "slide-5"));

        as(user).queryParam("external_id__in", "slide-2")
                .queryParam("external_id__in", "slide-7")
                .get("/api/v1/runs/{id}/items", runId)
                .then()
                .body("external_id", contains("slide-2", "slide-7"));
        String itemId = as(user).get("/api/v1/runs/{id}/items/slide-5", runId)
                .then()
                .statusCode(200)
                .extract()
                .path("item_id");
        as(user).queryParam("item_id__in", itemId)
                .get("/api/v1/runs/{id}/items", runId)
                .then()
                .body("external_id", contains("slide-5"));
        as(user).queryParam("item_id__in", "nope")
                .get("/api/v1/runs/{id}/items", runId)
                .then()
                .statusCode(422);
        as(user).queryParam("state", "PENDING")
                .queryParam("page_size", 100)
                .get("/api/v1/runs/{id}/items", runId)
                .then()
                .body("$", hasSize(12));
        as(user).queryParam("state", "TERMINATED")
                .get("/api/v1/runs/{id}/items", runId)
                .then()
                .body("$", empty());
        as(user).queryParam("state", "DONE")
                .get("/api/v1/runs/{id}/items", runId)
                .then()
                .statusCode(422);
        as(user).queryParam("custom_metadata", "$.priority ? (@ == \"high\")")
                .get("/api/v1/runs/{id}/items", runId)
                .then()
                .body("external_id", contains("slide-3"));
        as(user).get("/api/v1/runs/{id}/items/no-such-slide", runId).then().statusCode(404);
    }

    @Test
    void itemsCarryTheirInputsAndNullableFields() {
        String user = freshUser();
        UUID runId = submit(user, testRun(1));
        String json = as(user).get("/api/v1/runs/{id}/items/slide-0", runId)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(json)
                .contains("\"state\":\"PENDING\"", "\"output\":\"NONE\"", "\"termination_reason\":null")
                .contains("\"custom_metadata\":null", "\"output_artifacts\":[]", "\"error_code\":null")
                .contains("\"name\":\"whole_slide_image\"", "\"download_url\":\"https://slides.example.org/slide-0")
                .contains("\"input_artifact_id\":\"");
        // Not stored with the item: derived from its id and the input's name, the same on every read.
        JsonPath item = JsonPath.from(json);
        UUID itemId = UUID.fromString(item.getString("item_id"));
        assertThat(item.getString("input_artifacts[0].input_artifact_id"))
                .isEqualTo(DerivedIds.inputArtifact(itemId, "whole_slide_image").toString());
    }
}
