package org.tessera.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.tessera.imaging.synthetic.SyntheticSlide;
import org.tessera.models.examples.NucleiOnlyExample;

/**
 * An application version described by a manifest, on the real stack: the operator registers the nuclei-only example
 * (the project's nucleus graph and its manifest) through the admin API, a wrong checksum is refused with its reason,
 * the version is assigned to an organization, whose member sees it in the catalogue, submits a run through the public
 * API and downloads its outputs: the artifacts the manifest names, a valid GeoJSON with about as many nuclei as the
 * synthetic slide has.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManifestApplicationEndToEndTest {

    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(4);

    private final HttpClient http = HttpClient.newHttpClient();
    private LocalStack stack;
    private Path work;

    @BeforeAll
    void startStack() throws IOException {
        Path root = EndToEnd.projectRoot();
        Path stateDir = root.resolve("deploy/local-stack/launcher/target/e2e-manifest-stack");
        work = stateDir.resolve("work");
        Files.createDirectories(work);
        stack = LocalStack.start(StackOptions.defaults(root, stateDir).withStartTimeout(Duration.ofMinutes(3)));
    }

    @AfterAll
    void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void anOperatorRegistersTheNucleiOnlyManifestAndAMembersRunGetsItsOutputs() throws Exception {
        String operator = stack.token(stack.seed().operator());
        Seed.Organization organization = stack.seed().primary();
        byte[] model = NucleiOnlyExample.model();
        String manifest = NucleiOnlyExample.manifest();

        HttpResponse<String> refused = register(
                operator,
                manifest.replaceAll("\"sha256\": \"[0-9a-f]{64}\"", "\"sha256\": \"" + "0".repeat(64) + "\""),
                model);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
        JsonNode detail =
                DemoClient.json().readTree(refused.body()).path("detail").get(0);
        assertThat(detail.path("type").asText()).isEqualTo("checksum_mismatch");
        assertThat(detail.path("msg").asText()).startsWith("manifest.tasks[0].model.sha256: ");

        HttpResponse<String> registered = register(operator, manifest, model);
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
        assertThat(DemoClient.json()
                        .readTree(registered.body())
                        .at("/manifest/tasks/0/model/object_key")
                        .asText())
                .startsWith("models/nuclei-only/1.0.0/");
        assertThat(register(operator, manifest, model).statusCode())
                .as("the same again")
                .isEqualTo(200);

        HttpResponse<String> assigned = send(
                operator,
                HttpRequest.newBuilder(api("admin/v1/organizations/" + organization.id()
                                + "/applications/nuclei-only/versions/1.0.0"))
                        .PUT(HttpRequest.BodyPublishers.noBody()));
        assertThat(assigned.statusCode()).as(assigned.body()).isEqualTo(201);

        DemoClient member =
                new DemoClient(stack.apiUrl(), () -> stack.token(stack.seed().member()));
        JsonNode version = member.applicationVersion(NucleiOnlyExample.APPLICATION_ID, NucleiOnlyExample.VERSION);
        assertThat(version.path("output_artifacts").findValuesAsText("name"))
                .containsExactly(
                        "nucleus_detection:geojson_polygons",
                        "nucleus_detection:csv_detections",
                        "nucleus_detection:slide_readouts");

        SlideSet slides = SlideSet.generate(
                        work.resolve("slides"), List.of(SlideSet.Spec.good("nuclei-1", 1536, 1024, 0.5)), 43L)
                .upload(member, SlideSet.UrlSigning.of(stack.objectStore()), "uploads/demo/" + UUID.randomUUID());
        String runId = member.submitRun(slides.runRequest(NucleiOnlyExample.APPLICATION_ID, NucleiOnlyExample.VERSION));
        EndToEnd.awaitTerminated(member, runId, RUN_TIMEOUT);

        JsonNode item = member.items(runId).getFirst();
        assertThat(item.path("termination_reason").asText()).as(item.toString()).isEqualTo("SUCCEEDED");
        List<ResultDownloader.Download> downloads =
                ResultDownloader.downloadAll(member, runId, work.resolve("results"));
        assertThat(downloads)
                .extracting(ResultDownloader.Download::artifactName)
                .containsExactlyInAnyOrder(
                        "nucleus_detection:geojson_polygons",
                        "nucleus_detection:csv_detections",
                        "nucleus_detection:slide_readouts");
        ResultDownloader.Download geojson = downloads.stream()
                .filter(d -> d.artifactName().endsWith("geojson_polygons"))
                .findFirst()
                .orElseThrow();
        JsonNode collection = DemoClient.json().readTree(geojson.file().toFile());
        assertThat(collection.path("type").asText()).isEqualTo("FeatureCollection");
        SyntheticSlide slide = slides.slides().getFirst().slide();
        int truth = slide.groundTruth()
                .nucleiIn(0, 0, slide.width(), slide.height())
                .size();
        int found = collection.path("features").size();
        assertThat(found).as("nuclei found against %d on the slide", truth).isBetween((int) (truth * 0.7), (int)
                (truth * 1.3));
        for (JsonNode feature : collection.path("features")) {
            assertThat(feature.at("/geometry/type").asText()).isEqualTo("Polygon");
            assertThat(feature.at("/properties/classification/name").asText()).isEqualTo("Nucleus");
        }
        JsonNode artifact = item.path("output_artifacts").findParents("name").stream()
                .filter(a -> a.path("name").asText().endsWith("geojson_polygons"))
                .findFirst()
                .orElseThrow();
        assertThat(artifact.at("/metadata/object_count").asInt()).isEqualTo(found);
    }

    private HttpResponse<String> register(String token, String manifest, byte[] model) throws Exception {
        String boundary = "tessera-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"manifest\"\r\n"
                        + "Content-Type: application/json\r\n\r\n" + manifest + "\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + NucleiOnlyExample.MODEL_FILE
                        + "\"; filename=\"" + NucleiOnlyExample.MODEL_FILE + "\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.write(model);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send(
                token,
                HttpRequest.newBuilder(api("admin/v1/application-versions"))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    }

    private HttpResponse<String> send(String token, HttpRequest.Builder request) throws Exception {
        return http.send(
                request.header("Authorization", "Bearer " + token)
                        .header("Accept", "application/json")
                        .timeout(Duration.ofMinutes(1))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI api(String path) {
        String root = stack.apiUrl().toString();
        return URI.create((root.endsWith("/") ? root : root + "/") + "api/" + path);
    }
}
