package org.tessera.orchestrator.support;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.tessera.testkit.JwtTestResource;

/** Requests as a particular user, and run submissions that the catalogue accepts. */
public final class TestApi {

    public static final String ORG = "demo";

    private TestApi() {}

    /** A user id nobody else in the test JVM uses, so that list queries see only this test's runs. */
    public static String freshUser() {
        return "user-" + UUID.randomUUID();
    }

    public static String token(String user) {
        return JwtTestResource.issuer().token(user, ORG, "member");
    }

    public static RequestSpecification as(String user) {
        return given().header("Authorization", "Bearer " + token(user)).contentType("application/json");
    }

    public static Map<String, Object> slideMetadata() {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("checksum_base64_crc32c", "AAAAAA==");
        metadata.put("width_px", 40_000);
        metadata.put("height_px", 30_000);
        metadata.put("resolution_mpp", 0.25);
        metadata.put("media_type", "image/tiff");
        return metadata;
    }

    public static Map<String, Object> item(String externalId) {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("name", "whole_slide_image");
        input.put("download_url", "https://slides.example.org/" + externalId + ".tiff?sig=abc");
        input.put("metadata", slideMetadata());
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("external_id", externalId);
        item.put("input_artifacts", List.of(input));
        return item;
    }

    public static Map<String, Object> run(String applicationId, String version, int items) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("application_id", applicationId);
        if (version != null) {
            body.put("version_number", version);
        }
        List<Map<String, Object>> list = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            list.add(item("slide-" + i));
        }
        body.put("items", list);
        return body;
    }

    public static Map<String, Object> testRun(int items) {
        return run("test-app", null, items);
    }

    /** Submits a run and returns its id. */
    public static UUID submit(String user, Map<String, Object> body) {
        String id = as(user).body(body)
                .post("/api/v1/runs")
                .then()
                .statusCode(201)
                .extract()
                .path("run_id");
        return UUID.fromString(id);
    }
}
