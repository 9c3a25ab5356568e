package org.tessera.orchestrator.application.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.tessera.orchestrator.support.Organizations.as;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.tessera.orchestrator.support.ObjectStoreTestResource;
import org.tessera.orchestrator.support.Organizations;
import org.tessera.orchestrator.support.TestApi;
import org.tessera.orchestrator.tenancy.domain.Role;
import org.tessera.testkit.JwtTestResource;
import org.tessera.testkit.KafkaTestResource;
import org.tessera.testkit.PostgresTestResource;

/** Version documents: listed, described and downloaded only by organizations that have the version. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(ObjectStoreTestResource.class)
class VersionDocumentsApiTest {

    private static final String DOCUMENTS = "/api/v1/applications/{app}/versions/{version}/documents";

    @Inject
    DocumentManifest manifest;

    @Inject
    DocumentPublisher publisher;

    @Test
    void listsTheVersionsPublicDocumentsInTheApiShape() {
        List<Map<String, Object>> documents = demo().get(DOCUMENTS, "he-tme", "1.0.0")
                .then()
                .statusCode(200)
                .body("name", contains("release-notes", "user-guide"))
                .extract()
                .jsonPath()
                .getList("$");
        for (Map<String, Object> document : documents) {
            assertThat(document)
                    .containsOnlyKeys("id", "name", "mime_type", "visibility", "created_at", "updated_at")
                    .containsEntry("mime_type", "text/markdown")
                    .containsEntry("visibility", "public");
            UUID.fromString((String) document.get("id"));
            assertThat(Instant.parse((String) document.get("updated_at")))
                    .isAfterOrEqualTo(Instant.parse((String) document.get("created_at")));
        }
        Map<String, Object> userGuide = documents.get(1);
        demo().get(DOCUMENTS + "/user-guide", "he-tme", "1.0.0")
                .then()
                .statusCode(200)
                .body("id", equalTo(userGuide.get("id")))
                .body("created_at", equalTo(userGuide.get("created_at")));
        demo().get(DOCUMENTS, "test-app", "1.1.0")
                .then()
                .statusCode(200)
                .body("name", contains("release-notes", "user-guide"));
    }

    @Test
    void fileRedirectsToASignedDownloadOfTheStoredBytes() throws Exception {
        Response redirect = demo().redirects().follow(false).get(DOCUMENTS + "/user-guide/file", "he-tme", "1.0.0");
        assertThat(redirect.statusCode()).isEqualTo(307);
        assertThat(redirect.header("Cache-Control")).isEqualTo("no-store");

        HttpResponse<byte[]> file = fetchWithoutToken(redirect.header("Location"));
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.headers().firstValue("Content-Disposition")).contains("attachment; filename=\"user-guide.md\"");
        assertThat(file.headers().firstValue("Content-Type")).contains("text/markdown; charset=utf-8");
        assertThat(file.body()).isEqualTo(resource("he-tme/1.0.0/user-guide.md"));
    }

    @Test
    void contentRedirectsToTheDocumentServedWithItsMediaType() throws Exception {
        Response redirect =
                demo().redirects().follow(false).get(DOCUMENTS + "/release-notes/content", "test-app", "1.0.0");
        assertThat(redirect.statusCode()).isEqualTo(307);
        assertThat(redirect.header("Cache-Control")).isEqualTo("no-store");

        HttpResponse<byte[]> content = fetchWithoutToken(redirect.header("Location"));
        assertThat(content.statusCode()).isEqualTo(200);
        assertThat(content.headers().firstValue("Content-Type")).contains("text/markdown; charset=utf-8");
        assertThat(content.headers().firstValue("Content-Disposition")).isEmpty();
        assertThat(content.body()).isEqualTo(resource("test-app/1.0.0/release-notes.md"));
    }

    @Test
    void theDashboardsLinkIsASignedDownloadOfTheStoredBytesForOrganizationsThatHaveTheVersion() throws Exception {
        String link = "/api/dashboard/v1/applications/{app}/versions/{version}/documents/{name}/link";
        JsonPath answer = demo().get(link, "test-app", "1.0.0", "user-guide")
                .then()
                .statusCode(200)
                .body("file_name", equalTo("user-guide.md"))
                .extract()
                .jsonPath();
        HttpResponse<byte[]> file = fetchWithoutToken(answer.getString("url"));
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.headers().firstValue("Content-Disposition")).contains("attachment; filename=\"user-guide.md\"");
        assertThat(file.body()).isEqualTo(resource("test-app/1.0.0/user-guide.md"));

        String org = Organizations.fresh("doclinks");
        as(Organizations.user(org, Role.MEMBER), org)
                .get(link, "he-tme", "1.0.0", "user-guide")
                .then()
                .statusCode(404)
                .body("code", equalTo("APPLICATION.VERSION_NOT_FOUND"));
        demo().get(link, "test-app", "1.0.0", "no-such-document")
                .then()
                .statusCode(404)
                .body("code", equalTo("APPLICATION.DOCUMENT_NOT_FOUND"))
                .body("detail", containsString("no-such-document"));
    }

    @Test
    void organizationsWithoutTheVersionGet404ForEverything() {
        String org = Organizations.fresh("docs");
        String member = Organizations.user(org, Role.MEMBER);

        for (String path : List.of(
                DOCUMENTS,
                DOCUMENTS + "/user-guide",
                DOCUMENTS + "/user-guide/file",
                DOCUMENTS + "/user-guide/content")) {
            as(member, org)
                    .redirects()
                    .follow(false)
                    .get(path, "he-tme", "1.0.0")
                    .then()
                    .statusCode(404)
                    .body("code", equalTo("APPLICATION.VERSION_NOT_FOUND"));
        }
        // The free application's documents are every organization's.
        as(member, org).get(DOCUMENTS, "test-app", "1.0.0").then().statusCode(200);

        Organizations.assign(org, "he-tme", "1.0.0");
        as(member, org)
                .get(DOCUMENTS, "he-tme", "1.0.0")
                .then()
                .statusCode(200)
                .body("name", contains("release-notes", "user-guide"));
    }

    @Test
    void unknownApplicationsVersionsAndDocumentsAre404() {
        demo().get(DOCUMENTS, "no-such-app", "1.0.0")
                .then()
                .statusCode(404)
                .body("code", equalTo("APPLICATION.NOT_FOUND"));
        demo().get(DOCUMENTS, "he-tme", "9.9.9")
                .then()
                .statusCode(404)
                .body("code", equalTo("APPLICATION.VERSION_NOT_FOUND"));
        demo().redirects()
                .follow(false)
                .get(DOCUMENTS + "/no-such-document/file", "he-tme", "1.0.0")
                .then()
                .statusCode(404)
                .body("code", equalTo("APPLICATION.DOCUMENT_NOT_FOUND"))
                .body("detail", containsString("no-such-document"));
    }

    @Test
    void publishingAgainChangesNothingAndRestoresAMissingObject() throws Exception {
        JsonPath before =
                demo().get(DOCUMENTS, "he-tme", "1.0.0").then().extract().jsonPath();
        for (DocumentManifest.Document document : manifest.documents()) {
            assertThat(publisher.publish(document)).as(document.name()).isFalse();
        }

        DocumentManifest.Document userGuide = manifest.documents().stream()
                .filter(d ->
                        d.version().applicationId().equals("he-tme") && d.name().equals("user-guide"))
                .findFirst()
                .orElseThrow();
        ObjectStoreTestResource.store().delete(userGuide.objectKey());
        assertThat(publisher.publish(userGuide)).isTrue();
        try (InputStream in = ObjectStoreTestResource.store().open(userGuide.objectKey())) {
            assertThat(in.readAllBytes()).isEqualTo(resource("he-tme/1.0.0/user-guide.md"));
        }
        JsonPath after =
                demo().get(DOCUMENTS, "he-tme", "1.0.0").then().extract().jsonPath();
        assertThat(after.getList("updated_at")).isEqualTo(before.getList("updated_at"));
        assertThat(after.getList("id")).isEqualTo(before.getList("id"));
    }

    private static RequestSpecification demo() {
        return TestApi.as(TestApi.freshUser());
    }

    private static HttpResponse<byte[]> fetchWithoutToken(String location) throws IOException, InterruptedException {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(location)).GET().build(),
                        HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] resource(String file) throws IOException {
        try (InputStream in = DocumentManifest.class.getResourceAsStream(file)) {
            return in.readAllBytes();
        }
    }
}
