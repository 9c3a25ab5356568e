package org.tessera.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.tessera.orchestrator.support.TestApi.as;
import static org.tessera.orchestrator.support.TestApi.freshUser;
import static org.tessera.orchestrator.support.TestApi.item;
import static org.tessera.orchestrator.support.TestApi.submit;
import static org.tessera.orchestrator.support.TestApi.testRun;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.tessera.orchestrator.run.api.SubmissionGate;
import org.tessera.orchestrator.support.HeldTurns;
import org.tessera.orchestrator.support.ObjectStoreTestResource;
import org.tessera.testkit.JwtTestResource;
import org.tessera.testkit.KafkaTestResource;
import org.tessera.testkit.PostgresTestResource;

@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(ObjectStoreTestResource.class)
class RunSubmissionApiTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    SubmissionGate gate;

    @Test
    void aRunIsReadableRightAfterItWasCreated() {
        String user = freshUser();
        UUID runId = submit(user, testRun(2));

        as(user).get("/api/v1/runs/{id}", runId)
                .then()
                .statusCode(200)
                .body("run_id", equalTo(runId.toString()))
                .body("application_id", equalTo("test-app"))
                .body("version_number", equalTo("1.1.0"))
                .body("submitted_by", equalTo(user))
                .body("organization_id", equalTo("demo"))
                .body("statistics.item_count", equalTo(2))
                .body("submitted_at", notNullValue())
                // Required but nullable: present, as null.
                .body("$", hasKey("termination_reason"))
                .body("termination_reason", nullValue())
                .body("$", hasKey("error_code"))
                .body("$", hasKey("error_message"))
                .body("$", hasKey("terminated_at"))
                .body("$", hasKey("custom_metadata"));
    }

    @Test
    void anExplicitVersionIsKept() {
        String user = freshUser();
        UUID runId = submit(user, org.tessera.orchestrator.support.TestApi.run("test-app", "1.0.0", 1));
        as(user).get("/api/v1/runs/{id}", runId).then().body("version_number", equalTo("1.0.0"));
    }

    @Test
    void customMetadataIsStoredVerbatimAtAnyDepth() {
        String user = freshUser();
        String body = """
                {"application_id": "test-app",
                 "custom_metadata": {"sdk": {"tags": ["b", "a"], "note": "x", "submission": {"n": 1.50, "deep": {"z": null, "a": [1, {"k": "v"}]}}}, "zeta": 1},
                 "items": [{"external_id": "s1", "custom_metadata": {"case": "C-1", "score": 0.125},
                   "input_artifacts": [{"name": "whole_slide_image", "download_url": "https://x.example/s1.tiff",
                     "metadata": {"checksum_base64_crc32c": "AAAAAA==", "width_px": 10, "height_px": 10, "resolution_mpp": 0.5}}]}]}
                """;
        String runId = created(user, body);

        String run = as(user).get("/api/v1/runs/{id}", runId)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(run)
                .contains("\"custom_metadata\":{\"sdk\":{\"tags\":[\"b\",\"a\"],\"note\":\"x\",\"submission\":"
                        + "{\"n\":1.50,\"deep\":{\"z\":null,\"a\":[1,{\"k\":\"v\"}]}}},\"zeta\":1}");
        String items = as(user).get("/api/v1/runs/{id}/items", runId)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(items).contains("\"custom_metadata\":{\"case\":\"C-1\",\"score\":0.125}");
        assertThat(items)
                .contains("\"metadata\":{\"checksum_base64_crc32c\":\"AAAAAA==\",\"width_px\":10,\"height_px\":10,"
                        + "\"resolution_mpp\":0.5}");
    }

    @Test
    void itemTextWithBackslashesTabsNewlinesAndNonAsciiComesBackAsSent() {
        // Items are written with COPY's text format, where a backslash, tab or newline would otherwise change the row.
        String user = freshUser();
        String externalId = "C:\\slides\\case\t7\nb \u00e9\u4e2d\ud83d\udd2c \\N";
        String body = """
                {"application_id": "test-app",
                 "items": [{"external_id": "%s", "custom_metadata": {"note": "tab\\there\\nline \\\\N \\"quoted\\"", "µ": "ü"},
                   "input_artifacts": [{"name": "whole_slide_image", "download_url": "https://x.example/a%%5Cb.tiff?x=1",
                     "metadata": {"checksum_base64_crc32c": "AAAAAA==", "width_px": 10, "height_px": 10, "resolution_mpp": 0.5}}]}]}
                """.formatted(
                        externalId.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n"));
        String runId = created(user, body);

        io.restassured.path.json.JsonPath item = as(user).get("/api/v1/runs/{id}/items", runId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(item.getString("[0].external_id")).isEqualTo(externalId);
        assertThat(item.getString("[0].custom_metadata.note")).isEqualTo("tab\there\nline \\N \"quoted\"");
        assertThat(item.getString("[0].custom_metadata.µ")).isEqualTo("ü");
        assertThat(item.getString("[0].input_artifacts[0].download_url")).isEqualTo("https://x.example/a%5Cb.tiff?x=1");
    }

    @Test
    void invalidMetadataIsRefusedNamingTheField() {
        String user = freshUser();
        Map<String, Object> body = testRun(5);
        @SuppressWarnings("unchecked")
        Map<String, Object> metadata = (Map<String, Object>) inputOf(body, 3).get("metadata");
        metadata.put("width_px", 0);
        metadata.remove("height_px");
        metadata.put("media_type", "image/png");
        metadata.put("colour", "pink");

        ValidatableResponse response =
                as(user).body(body).post("/api/v1/runs").then().statusCode(422);

        response.body("detail.msg", hasItem(containsString("items[3].input_artifacts[0].metadata.width_px")))
                .body("detail.msg", hasItem(containsString("items[3].input_artifacts[0].metadata.height_px")))
                .body("detail.msg", hasItem(containsString("items[3].input_artifacts[0].metadata.media_type")))
                .body("detail.msg", hasItem(containsString("items[3].input_artifacts[0].metadata.colour")))
                .body("detail.loc", hasItem(contains("body", "items", 3, "input_artifacts", 0, "metadata", "width_px")))
                .body("detail.type", hasItem("json_schema.minimum"));
        assertNothingStoredFor(user);
    }

    @Test
    void heTmeNeedsStainingAndSpecimen() {
        String user = freshUser();
        Map<String, Object> body = org.tessera.orchestrator.support.TestApi.run("he-tme", null, 1);
        as(user).body(body)
                .post("/api/v1/runs")
                .then()
                .statusCode(422)
                .body("detail.msg", hasItem(containsString("items[0].input_artifacts[0].metadata.staining_method")))
                .body("detail.msg", hasItem(containsString("items[0].input_artifacts[0].metadata.specimen")));

        @SuppressWarnings("unchecked")
        Map<String, Object> metadata = (Map<String, Object>) inputOf(body, 0).get("metadata");
        metadata.put("staining_method", "H&E");
        metadata.put("specimen", Map.of("disease", "LUNG_CANCER", "tissue", "ELBOW"));
        as(user).body(body)
                .post("/api/v1/runs")
                .then()
                .statusCode(422)
                .body("detail.msg", hasItem(containsString("items[0].input_artifacts[0].metadata.specimen.tissue")));

        metadata.put("specimen", Map.of("disease", "LUNG_CANCER", "tissue", "LUNG"));
        as(user).body(body).post("/api/v1/runs").then().statusCode(201);
    }

    @Test
    void eachStructuralMistakeIsNamed() {
        String user = freshUser();
        Map<String, Object> body = testRun(4);
        body.put("custom_metadata", "not an object");
        itemOf(body, 1).put("external_id", "slide-0");
        inputOf(body, 2).put("download_url", "ftp://files.example/slide.tiff");
        inputOf(body, 3).put("name", "thumbnail");

        as(user).body(body)
                .post("/api/v1/runs")
                .then()
                .statusCode(422)
                .body("detail.loc", hasItem(contains("body", "custom_metadata")));

        body.remove("custom_metadata");
        as(user).body(body)
                .post("/api/v1/runs")
                .then()
                .statusCode(422)
                .body(
                        "detail.msg",
                        hasItem(containsString(
                                "items[1].external_id: external_id 'slide-0' is already used by items[0]")))
                .body("detail.msg", hasItem(containsString("items[2].input_artifacts[0].download_url")))
                .body("detail.msg", hasItem(containsString("items[3].input_artifacts[0].name")))
                .body(
                        "detail.msg",
                        hasItem(containsString("items[3].input_artifacts: input 'whole_slide_image' is required")));
        assertNothingStoredFor(user);
    }

    @Test
    void relativeOrHostlessUrlsAreRefused() {
        String user = freshUser();
        Map<String, Object> body = testRun(2);
        inputOf(body, 0).put("download_url", "/slides/a.tiff");
        inputOf(body, 1).put("download_url", "https:///a.tiff");
        as(user).body(body)
                .post("/api/v1/runs")
                .then()
                .statusCode(422)
                .body("detail.loc", hasItem(contains("body", "items", 0, "input_artifacts", 0, "download_url")))
                .body("detail.loc", hasItem(contains("body", "items", 1, "input_artifacts", 0, "download_url")));
    }

    @Test
    void itemCountMustBeOneToFiveHundred() {
        String user = freshUser();
        as(user).body(testRun(0))
                .post("/api/v1/runs")
                .then()
                .statusCode(422)
                .body("detail[0].loc", contains("body", "items"))
                .body("detail[0].type", equalTo("too_short"));
        as(user).body(testRun(501))
                .post("/api/v1/runs")
                .then()
                .statusCode(422)
                .body("detail[0].loc", contains("body", "items"))
                .body("detail[0].type", equalTo("too_long"));
        UUID runId = submit(user, testRun(500));
        as(user).get("/api/v1/runs/{id}", runId).then().body("statistics.item_count", equalTo(500));
    }

    @Test
    void unknownApplicationOrVersionIs404() {
        String user = freshUser();
        as(user).body(org.tessera.orchestrator.support.TestApi.run("no-such-app", null, 1))
                .post("/api/v1/runs")
                .then()
                .statusCode(404)
                .body("detail", containsString("application_id"));
        as(user).body(org.tessera.orchestrator.support.TestApi.run("test-app", "7.0.0", 1))
                .post("/api/v1/runs")
                .then()
                .statusCode(404)
                .body("detail", containsString("version_number"));
        assertNothingStoredFor(user);
    }

    @Test
    void malformedJsonAndMissingFieldsAre422() {
        String user = freshUser();
        as(user).body("{\"application_id\": ")
                .post("/api/v1/runs")
                .then()
                .statusCode(422)
                .body("detail[0].type", equalTo("json_invalid"));
        as(user).body("{\"items\": [{\"input_artifacts\": []}]}")
                .post("/api/v1/runs")
                .then()
                .statusCode(422)
                .body("detail.loc", hasItem(contains("body", "application_id")))
                .body("detail.loc", hasItem(contains("body", "items", 0, "external_id")));
        as(user).body(Map.of("application_id", "test-app", "items", List.of(item("a"), "oops")))
                .post("/api/v1/runs")
                .then()
                .statusCode(422)
                .body("detail.loc", hasItem(contains("body", "items", 1)));
    }

    private void assertNothingStoredFor(String user) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM run WHERE submitted_by = ?")) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aSubmissionWaitsForATurnWhileEveryTurnIsTakenAndIsStoredOnceOneFrees() throws Exception {
        String user = freshUser();
        assertThat(gate.concurrency())
                .as("the shipped setting gates submissions")
                .isPositive();
        ExecutorService client = Executors.newSingleThreadExecutor();
        try (HeldTurns held = HeldTurns.take(gate, gate.concurrency())) {
            Future<UUID> posted = client.submit(() -> submit(user, testRun(1)));
            HeldTurns.awaitWaiting(gate, 1);
            assertThat(posted).isNotDone();

            held.release();
            UUID runId = posted.get(30, TimeUnit.SECONDS);
            as(user).get("/api/v1/runs/{id}", runId).then().statusCode(200);
        } finally {
            client.shutdownNow();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> itemOf(Map<String, Object> body, int item) {
        return (Map<String, Object>) ((List<Object>) body.get("items")).get(item);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> inputOf(Map<String, Object> body, int item) {
        Map<String, Object> itemMap = (Map<String, Object>) ((List<Object>) body.get("items")).get(item);
        return ((List<Map<String, Object>>) itemMap.get("input_artifacts")).getFirst();
    }

    /** Submits a run and returns its id; anything but 201 fails the test. */
    private String created(String user, String body) {
        return as(user).body(body)
                .post("/api/v1/runs")
                .then()
                .statusCode(201)
                .extract()
                .path("run_id");
    }
}
