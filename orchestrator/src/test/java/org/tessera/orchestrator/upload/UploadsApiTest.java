package org.tessera.orchestrator.upload;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tessera.orchestrator.support.AdminApi;
import org.tessera.orchestrator.support.ObjectStoreTestResource;
import org.tessera.orchestrator.support.TestApi;
import org.tessera.testkit.JwtTestResource;
import org.tessera.testkit.KafkaTestResource;
import org.tessera.testkit.PostgresTestResource;

/** {@code POST /api/v1/uploads} against the real object store server: the signed URLs really write and read. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(ObjectStoreTestResource.class)
class UploadsApiTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void eachFileGetsAPutUrlAndAGetUrlUnderTheCallersOwnPrefix() throws IOException, InterruptedException {
        String user = TestApi.freshUser();
        JsonPath upload = AdminApi.as(user, TestApi.ORG)
                .body(Map.of("files", List.of(Map.of("name", "slide one.svs"), Map.of("name", "b.tiff"))))
                .post("/api/v1/uploads")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();

        String uploadId = upload.getString("upload_id");
        assertThat(upload.getList("files.name")).containsExactly("slide one.svs", "b.tiff");
        assertThat(upload.getList("files.object_key", String.class))
                .containsExactly(
                        "uploads/demo/" + user + "/" + uploadId + "/slide_one.svs",
                        "uploads/demo/" + user + "/" + uploadId + "/b.tiff");
        assertThat(upload.getString("upload_expires_at")).isNotBlank();

        byte[] bytes = "not really a slide, but bytes all the same".getBytes(StandardCharsets.UTF_8);
        URI put = URI.create(upload.getString("files[0].upload_url"));
        HttpResponse<String> stored = http.send(
                HttpRequest.newBuilder(put)
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(stored.statusCode()).as(stored.body()).isBetween(200, 299);

        URI get = URI.create(upload.getString("files[0].download_url"));
        HttpResponse<byte[]> fetched =
                http.send(HttpRequest.newBuilder(get).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(fetched.body()).isEqualTo(bytes);

        // The PUT URL is for that one key: signed for another key it is refused.
        URI forged = URI.create(put.toString().replace("slide_one.svs", "other.svs"));
        HttpResponse<String> refused = http.send(
                HttpRequest.newBuilder(forged)
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(403);
    }

    @Test
    void pathsDuplicatesAndMissingNamesAreRefusedNamingTheFile() {
        String user = TestApi.freshUser();
        AdminApi.as(user, TestApi.ORG)
                .body(Map.of(
                        "files",
                        List.of(Map.of("name", "../etc/passwd"), Map.of("name", "a.svs"), Map.of("name", "a.svs"))))
                .post("/api/v1/uploads")
                .then()
                .statusCode(422)
                .body("detail.loc", hasItem(List.of("body", "files", 0, "name")))
                .body("detail.loc", hasItem(List.of("body", "files", 2, "name")));
        AdminApi.as(user, TestApi.ORG)
                .body(Map.of("files", List.of()))
                .post("/api/v1/uploads")
                .then()
                .statusCode(422)
                .body("detail.loc", hasItem(List.of("body", "files")));
    }

    @Test
    void withoutATokenNothingIsSigned() {
        given().contentType("application/json")
                .body(Map.of("files", List.of(Map.of("name", "a.svs"))))
                .post("/api/v1/uploads")
                .then()
                .statusCode(401);
    }
}
