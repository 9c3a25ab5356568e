package org.tessera.orchestrator.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.tessera.orchestrator.support.TestApi.as;
import static org.tessera.orchestrator.support.TestApi.freshUser;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tessera.orchestrator.support.ObjectStoreTestResource;
import org.tessera.testkit.JwtTestResource;
import org.tessera.testkit.KafkaTestResource;
import org.tessera.testkit.PostgresTestResource;

@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(ObjectStoreTestResource.class)
class ApplicationsApiTest {

    @Test
    void listsTheSeededApplicationsWithTheirLatestVersion() {
        as(freshUser())
                .get("/api/v1/applications")
                .then()
                .statusCode(200)
                .body("application_id", contains("he-tme", "test-app"))
                .body("find { it.application_id == 'test-app' }.latest_version.number", equalTo("1.1.0"))
                .body("find { it.application_id == 'test-app' }.regulatory_classes", contains("RUO"))
                .body("find { it.application_id == 'he-tme' }.description", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void applicationsUseTheHyphenatedPageSizeAndSort() {
        as(freshUser())
                .queryParam("sort", "-application_id")
                .get("/api/v1/applications")
                .then()
                .statusCode(200)
                .body("application_id", contains("test-app", "he-tme"));
        as(freshUser())
                .queryParam("page", 2)
                .queryParam("page-size", 5)
                .get("/api/v1/applications")
                .then()
                .statusCode(200)
                .body("$", hasSize(0));
        as(freshUser())
                .queryParam("page-size", 4)
                .get("/api/v1/applications")
                .then()
                .statusCode(422)
                .body("detail[0].loc", contains("query", "page-size"));
    }

    @Test
    void oneApplicationListsAllItsVersions() {
        as(freshUser())
                .get("/api/v1/applications/test-app")
                .then()
                .statusCode(200)
                .body("versions.number", contains("1.0.0", "1.1.0"))
                .body("versions[0].released_at", equalTo("2026-06-01T09:00:00Z"));
        as(freshUser())
                .get("/api/v1/applications/nope")
                .then()
                .statusCode(404)
                .body("detail", org.hamcrest.Matchers.containsString("nope"));
    }

    @Test
    void versionDetailsCarryTheMetadataSchemasAndOutputNames() {
        List<String> outputs = as(freshUser())
                .get("/api/v1/applications/he-tme/versions/1.0.0")
                .then()
                .statusCode(200)
                .body("version_number", equalTo("1.0.0"))
                .body("input_artifacts[0].name", equalTo("whole_slide_image"))
                .body("input_artifacts[0].metadata_schema.additionalProperties", equalTo(false))
                .body(
                        "input_artifacts[0].metadata_schema.required",
                        hasItems("checksum_base64_crc32c", "staining_method", "specimen"))
                .body("input_artifacts[0].metadata_schema.properties.staining_method.const", equalTo("H&E"))
                .body("input_artifacts[0].metadata_schema.$defs.Specimen.required", contains("disease", "tissue"))
                .body("output_artifacts[0].scope", equalTo("ITEM"))
                .body("output_artifacts[0].visibility", equalTo("EXTERNAL"))
                .extract()
                .jsonPath()
                .getList("output_artifacts.name", String.class);
        assertThat(outputs)
                .contains(
                        "tissue_qc:segmentation_map_image",
                        "tissue_qc:geojson_polygons",
                        "tissue_qc:csv_class_information",
                        "tissue_segmentation:segmentation_map_image",
                        "cell_classification:geojson_polygons",
                        "readout_generation:slide_readouts",
                        "readout_generation:cell_readouts");
    }

    @Test
    void unknownVersionIs404AndAMalformedOneIs422() {
        as(freshUser())
                .get("/api/v1/applications/test-app/versions/9.9.9")
                .then()
                .statusCode(404);
        as(freshUser())
                .get("/api/v1/applications/test-app/versions/latest")
                .then()
                .statusCode(422)
                .body("detail[0].loc", contains("path", "version"));
    }

    @Test
    void apiNeedsAValidTokenButHealthDoesNot() {
        given().get("/api/v1/applications").then().statusCode(401);
        given().header("Authorization", "Bearer not-a-jwt")
                .get("/api/v1/applications")
                .then()
                .statusCode(401);
        given().get("/health")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("reason", nullValue());
        as(freshUser()).get("/health").then().statusCode(200).body("status", equalTo("UP"));
        given().header("Authorization", "Bearer expired-or-garbage")
                .get("/health")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"));
    }

    @Test
    void meReturnsTheSeededUserAndOrganization() {
        String token = org.tessera.testkit.JwtTestResource.issuer().token("demo-admin", "demo", "admin");
        given().header("Authorization", "Bearer " + token)
                .get("/api/v1/me")
                .then()
                .statusCode(200)
                .body("user.id", equalTo("demo-admin"))
                .body("user.email", equalTo("admin@demo.tessera.local"))
                .body("organization.id", equalTo("demo"))
                .body("organization.name", equalTo("Demo Laboratory"))
                .body("organization.aignostics_bucket_name", equalTo("tessera-slides"))
                .body("organization.aignostics_logfire_token", equalTo(""));
    }
}
