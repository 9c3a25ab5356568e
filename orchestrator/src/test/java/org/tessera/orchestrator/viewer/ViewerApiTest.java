package org.tessera.orchestrator.viewer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.tessera.orchestrator.support.TestApi.as;
import static org.tessera.orchestrator.support.TestApi.freshUser;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tessera.bytes.RangeFileServer;
import org.tessera.imaging.synthetic.SyntheticSlideGenerator;
import org.tessera.imaging.synthetic.SyntheticSlideOptions;
import org.tessera.orchestrator.support.Callers;
import org.tessera.orchestrator.support.FinishedRuns;
import org.tessera.orchestrator.support.ObjectStoreTestResource;
import org.tessera.testkit.JwtTestResource;
import org.tessera.testkit.KafkaTestResource;
import org.tessera.testkit.PostgresTestResource;

/**
 * The viewer's API through real HTTP: the slide is read from a loopback server standing in for the customer's storage
 * (range requests), and only those who may read the run get anything.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(ObjectStoreTestResource.class)
class ViewerApiTest {

    private static Path dir;
    private static RangeFileServer storage;

    @BeforeAll
    static void customerStorage() throws Exception {
        dir = Files.createTempDirectory("viewer-test");
        Path svs = SyntheticSlideGenerator.generate(
                        dir.resolve("s.svs"), 2400, 1800, 0.25, 21, SyntheticSlideOptions.svs())
                .path();
        storage = RangeFileServer.serve(svs);
    }

    @AfterAll
    static void stop() {
        storage.close();
    }

    /** A finished run whose item's slide URL points at the loopback storage. */
    private static FinishedRuns.Finished runOf(String owner, String query) {
        FinishedRuns.Finished run = FinishedRuns.withOneOutput(owner);
        String inputs =
                "[{\"name\":\"whole_slide_image\",\"download_url\":\"" + storage.url(query) + "\",\"metadata\":{}}]";
        assertThat(FinishedRuns.execute(
                        "UPDATE item SET input_artifacts = CAST(? AS jsonb) WHERE item_id = ?", inputs, run.itemId()))
                .isEqualTo(1);
        return run;
    }

    private static String api(FinishedRuns.Finished run) {
        return "/api/viewer/v1/runs/" + run.runId() + "/items/" + run.itemId() + "/";
    }

    @Test
    void theOwnerSeesTheSlideAtEveryLevelAndItsOutputs() throws Exception {
        String owner = freshUser();
        FinishedRuns.Finished run = runOf(owner, "expires=4102444800&signature=abc");
        as(owner)
                .get(api(run) + "info")
                .then()
                .statusCode(200)
                .body("width", equalTo(2400))
                .body("height", equalTo(1800))
                .body("mpp", equalTo(0.25f))
                .body("tile_size", equalTo(256))
                .body("title", equalTo("slide-0"))
                .body("features[0].name", equalTo("tissue_qc:geojson_polygons"))
                .body("source.url_expires_at", equalTo("2100-01-01T00:00:00Z"));
        int levels = as(owner).get(api(run) + "info").then().extract().path("levels.size()");
        for (int level = 0; level < levels; level++) {
            byte[] jpeg = as(owner)
                    .get(api(run) + "tiles/" + level + "/0/0.jpg")
                    .then()
                    .statusCode(200)
                    .contentType("image/jpeg")
                    .extract()
                    .asByteArray();
            BufferedImage tile = ImageIO.read(new ByteArrayInputStream(jpeg));
            assertThat(tile.getWidth()).isBetween(1, 256);
        }
        as(owner)
                .get(api(run) + "features/tissue_qc:geojson_polygons.json?bbox=0,0,2400,1800")
                .then()
                .statusCode(200)
                .body("count", equalTo(0));
        // The item can also be named by its external id.
        as(owner)
                .get("/api/viewer/v1/runs/" + run.runId() + "/items/slide-0/info")
                .then()
                .statusCode(200);
    }

    @Test
    void nobodyElseSeesIt() {
        String owner = freshUser();
        FinishedRuns.Finished run = runOf(owner, "");
        Callers.as(Callers.otherOrganizationMember(), Callers.OTHER_ORG)
                .get(api(run) + "tiles/0/0/0.jpg")
                .then()
                .statusCode(404);
        as(freshUser()).get(api(run) + "info").then().statusCode(404);
        given().get(api(run) + "info").then().statusCode(401);
        as(owner)
                .get("/api/viewer/v1/runs/" + UUID.randomUUID() + "/items/" + run.itemId() + "/info")
                .then()
                .statusCode(404);
    }

    @Test
    void aGrantOrAShareTokenOpensIt() {
        String owner = freshUser();
        String colleague = freshUser();
        String outsider = Callers.otherOrganizationMember();
        FinishedRuns.Finished run = runOf(owner, "");
        as(colleague).get(api(run) + "info").then().statusCode(404);
        as(owner)
                .body(Map.of(
                        "resource_type", "run",
                        "resource_id", run.runId().toString(),
                        "subject_type", "user",
                        "subject_id", colleague,
                        "relation", "viewer"))
                .post("/api/v1/access/grants")
                .then()
                .statusCode(201);
        as(colleague).get(api(run) + "tiles/0/1/1.jpg").then().statusCode(200);

        var token = as(owner)
                .body(Map.of())
                .post("/api/v1/access/share-tokens")
                .then()
                .statusCode(201)
                .extract();
        as(owner)
                .body(Map.of(
                        "resource_type", "run",
                        "resource_id", run.runId().toString(),
                        "subject_type", "share_token",
                        "subject_id", token.<String>path("share_token_id"),
                        "relation", "viewer"))
                .post("/api/v1/access/grants")
                .then()
                .statusCode(201);
        Callers.as(outsider, Callers.OTHER_ORG).get(api(run) + "info").then().statusCode(404);
        Callers.as(outsider, Callers.OTHER_ORG)
                .queryParam("share_token", token.<String>path("share_token"))
                .get(api(run) + "info")
                .then()
                .statusCode(200)
                .body("width", equalTo(2400));
    }

    @Test
    void anExpiredSignedUrlIsSaidPlainlyAndNothingIsFetched() {
        String owner = freshUser();
        FinishedRuns.Finished run = runOf(owner, "expires=1000&signature=abc");
        int before = storage.requests();
        as(owner)
                .get(api(run) + "info")
                .then()
                .statusCode(410)
                .body("code", equalTo("SLIDE_URL_EXPIRED"))
                .body("message", containsString("signed URL expired"))
                .body("message", containsString("stays in its owner's storage"));
        assertThat(storage.requests()).isEqualTo(before);
    }

    @Test
    void theStorageRefusingTheUrlIsSaidPlainlyToo() {
        String owner = freshUser();
        FinishedRuns.Finished run = runOf(owner, "X-Amz-Signature=refused");
        storage.refuse(true);
        try {
            as(owner)
                    .get(api(run) + "info")
                    .then()
                    .statusCode(410)
                    .body("code", equalTo("SLIDE_URL_EXPIRED"))
                    .body("message", containsString("HTTP 403"));
        } finally {
            storage.refuse(false);
        }
    }

    @Test
    void servesThePage() {
        given().get("/viewer/").then().statusCode(200).body(containsString("<canvas id=\"canvas\""));
        given().get("/viewer/viewer.js").then().statusCode(200).body(containsString("tessera.session"));
    }
}
