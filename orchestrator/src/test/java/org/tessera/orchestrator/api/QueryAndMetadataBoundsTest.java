package org.tessera.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.tessera.orchestrator.support.TestApi.as;
import static org.tessera.orchestrator.support.TestApi.freshUser;
import static org.tessera.orchestrator.support.TestApi.submit;
import static org.tessera.orchestrator.support.TestApi.testRun;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.tessera.orchestrator.common.Json;
import org.tessera.orchestrator.support.ObjectStoreTestResource;
import org.tessera.testkit.JwtTestResource;
import org.tessera.testkit.KafkaTestResource;
import org.tessera.testkit.PostgresTestResource;

/** Deeply nested metadata and expensive SQL/JSON path filters are refused with a 422 that says why. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(ObjectStoreTestResource.class)
class QueryAndMetadataBoundsTest {

    /** {"n":{"n":...1...}} nested {@code depth} levels. */
    private static String nested(int depth) {
        return "{\"n\":".repeat(depth - 1) + "{\"n\":1}" + "}".repeat(depth - 1);
    }

    @Test
    void inputMetadataNestedDeeperThanTheValidatorAcceptsIs422() {
        // 600 levels parse, but the schema validator's own parser stops at 500 and used to throw (500).
        String metadata = Json.write(
                        Json.mapper().valueToTree(org.tessera.orchestrator.support.TestApi.slideMetadata()))
                .replaceFirst("\\}$", ",\"extra\":" + nested(600) + "}");
        String body = "{\"application_id\":\"test-app\",\"items\":[{\"external_id\":\"deep\",\"input_artifacts\":[{"
                + "\"name\":\"whole_slide_image\",\"download_url\":\"https://slides.example.org/a.tiff\","
                + "\"metadata\":" + metadata + "}]}]}";

        as(freshUser())
                .body(body)
                .post("/api/v1/runs")
                .then()
                .statusCode(422)
                .body("detail[0].type", equalTo("too_deep"))
                .body("detail[0].loc", contains("body", "items", 0, "input_artifacts", 0, "metadata"))
                .body("detail[0].msg", containsString("at most 64 levels"));
    }

    @Test
    void customMetadataNestedAlmostAsDeepAsTheParserAllowsIs422() {
        // 990 levels parse, but the run request on Kafka would nest beyond what the message writer allows.
        String body = "{\"application_id\":\"test-app\",\"items\":[{\"external_id\":\"deep\",\"input_artifacts\":[{"
                + "\"name\":\"whole_slide_image\",\"download_url\":\"https://slides.example.org/a.tiff\","
                + "\"metadata\":"
                + Json.write(Json.mapper().valueToTree(org.tessera.orchestrator.support.TestApi.slideMetadata()))
                + "}]}],\"custom_metadata\":" + nested(990) + "}";
        String user = freshUser();

        as(user).body(body)
                .post("/api/v1/runs")
                .then()
                .statusCode(422)
                .body("detail[0].type", equalTo("too_deep"))
                .body("detail[0].loc", contains("body", "custom_metadata"));

        UUID runId = submit(user, testRun(1));
        as(user).body("{\"custom_metadata\":" + nested(990) + "}")
                .put("/api/v1/runs/{id}/custom-metadata", runId)
                .then()
                .statusCode(422)
                .body("detail[0].type", equalTo("too_deep"));
        as(user).body("{\"custom_metadata\":" + nested(64) + "}")
                .put("/api/v1/runs/{id}/custom-metadata", runId)
                .then()
                .statusCode(200);
    }

    @Test
    void aFilterThatRunsPastTheStatementTimeoutIs422NamingTheFilter() {
        String user = freshUser();
        Map<String, Object> body = testRun(1);
        // Three disjoint arrays of 1,000 numbers: the filter below compares every element of b with every element of
        // c, once for every element of a: 10^9 comparisons, far beyond the test profile's 2 s timeout.
        body.put(
                "custom_metadata",
                Map.of(
                        "a", IntStream.range(0, 1000).boxed().toList(),
                        "b", IntStream.range(1000, 2000).boxed().toList(),
                        "c", IntStream.range(2000, 3000).boxed().toList()));
        UUID runId = submit(user, body);
        String expensive = "$.a[*] ? (exists($.b[*] ? (@ == $.c[*])))";

        as(user).queryParam("custom_metadata", expensive)
                .get("/api/v1/runs")
                .then()
                .statusCode(422)
                .body("detail[0].loc", contains("query", "custom_metadata"))
                .body("detail[0].type", equalTo("json_path_too_expensive"))
                .body("detail[0].msg", containsString("took longer than 2000 ms"));

        // The connection that ran it is back in the pool without the timeout; cheap filters still work.
        List<String> found = as(user).queryParam("custom_metadata", "$.a[*] ? (@ == 999)")
                .get("/api/v1/runs")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("run_id");
        assertThat(found).containsExactly(runId.toString());
    }
}
