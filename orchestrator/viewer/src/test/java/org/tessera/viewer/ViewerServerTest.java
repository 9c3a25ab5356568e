package org.tessera.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.imaging.synthetic.SyntheticSlideGenerator;
import org.tessera.imaging.synthetic.SyntheticSlideOptions;
import org.tessera.imaging.tiff.TiffPyramidWriter;
import org.tessera.models.classes.TissueClass;

/** The embeddable viewer on a local slide and a directory of results, through real HTTP. */
class ViewerServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private ViewerServer server;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        Path slide = SyntheticSlideGenerator.generate(
                        dir.resolve("s.svs"), 2000, 1500, 0.25, 5, SyntheticSlideOptions.svs())
                .path();
        Path results = Files.createDirectories(dir.resolve("results"));
        // A 250x188 tissue map (8 slide pixels per map pixel): left half tumour, right half stroma.
        int[] palette = new int[256];
        for (TissueClass c : TissueClass.values()) {
            palette[c.value()] = c.rgb();
        }
        TiffPyramidWriter.write(
                results.resolve("tissue_segmentation_segmentation_map_image.tiff"),
                250,
                188,
                TiffPyramidWriter.Options.classMap(palette)
                        .withDescription("Tessera class map; level-0 pixels per map pixel 8.000000; slide 2000x1500"),
                (x, y, w, h, out) -> {
                    for (int row = 0; row < h; row++) {
                        for (int col = 0; col < w; col++) {
                            out[row * w + col] =
                                    (byte) (x + col < 125 ? TissueClass.TUMOR.value() : TissueClass.STROMA.value());
                        }
                    }
                });
        StringBuilder cells = new StringBuilder("{\"type\":\"FeatureCollection\",\"features\":[");
        for (int i = 0; i < 100; i++) {
            int x = 10 + i * 19;
            cells.append(i == 0 ? "" : ",")
                    .append("{\"type\":\"Feature\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[")
                    .append(x)
                    .append(",100],[")
                    .append(x + 6)
                    .append(",100],[")
                    .append(x + 6)
                    .append(",106],[")
                    .append(x)
                    .append(",100]]]},\"properties\":{\"objectType\":\"detection\",\"classification\":")
                    .append("{\"name\":\"")
                    .append(i % 2 == 0 ? "Lymphocyte" : "Tumor cell")
                    .append("\",\"color\":[0,0,0]}}}");
        }
        cells.append("]}");
        Files.writeString(results.resolve("cell_classification_geojson_polygons.geojson"), cells);
        Files.writeString(
                results.resolve("readout_generation_slide_readouts.csv"),
                "scope,class,tissue_class,cell_count\nslide,LYMPHOCYTE,ALL,50\n");
        server = ViewerServer.start(slide, results, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
        client.close();
    }

    @Test
    void describesTheSlideItsOverlaysAndReadouts() throws Exception {
        JsonNode info = JSON.readTree(get(ViewerServer.API + "info").body());
        assertThat(info.path("width").asInt()).isEqualTo(2000);
        assertThat(info.path("mpp").asDouble()).isEqualTo(0.25);
        assertThat(info.path("tile_size").asInt()).isEqualTo(256);
        assertThat(info.path("levels").size()).isGreaterThan(1);
        assertThat(info.path("maps").get(0).path("name").asText())
                .isEqualTo("tissue_segmentation:segmentation_map_image");
        assertThat(info.path("maps").get(0).path("classes").get(0).path("name").asText())
                .isEqualTo("Tumor");
        assertThat(info.path("features").get(0).path("kind").asText()).isEqualTo("cells");
        assertThat(info.path("readouts").get(0).path("rows").get(0).get(3).asText())
                .isEqualTo("50");
    }

    @Test
    void servesTilesOfEveryLevelAsJpegCutAtTheEdges() throws Exception {
        JsonNode levels = JSON.readTree(get(ViewerServer.API + "info").body()).path("levels");
        for (int level = 0; level < levels.size(); level++) {
            int width = levels.get(level).path("width").asInt();
            int height = levels.get(level).path("height").asInt();
            int lastCol = (width - 1) / 256;
            int lastRow = (height - 1) / 256;
            HttpResponse<byte[]> tile =
                    get(ViewerServer.API + "tiles/" + level + "/" + lastCol + "/" + lastRow + ".jpg");
            assertThat(tile.statusCode()).isEqualTo(200);
            assertThat(tile.headers().firstValue("Content-Type")).contains("image/jpeg");
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(tile.body()));
            assertThat(image.getWidth()).isEqualTo(width - lastCol * 256);
            assertThat(image.getHeight()).isEqualTo(height - lastRow * 256);
        }
        HttpResponse<byte[]> outside = get(ViewerServer.API + "tiles/0/99/0.jpg");
        assertThat(outside.statusCode()).isEqualTo(404);
        assertThat(new String(outside.body(), StandardCharsets.UTF_8)).contains("\"code\":\"NOT_FOUND\"");
    }

    @Test
    void drawsTheClassMapInClassColoursHidingWhatIsSwitchedOff() throws Exception {
        String map = ViewerServer.API + "maps/tissue_segmentation:segmentation_map_image";
        JsonNode geometry = JSON.readTree(get(map + ".json").body());
        assertThat(geometry.path("scale").asDouble()).as(geometry.toString()).isEqualTo(8.0);
        BufferedImage all =
                ImageIO.read(new ByteArrayInputStream(get(map + ".png").body()));
        assertThat(all.getWidth()).isEqualTo(250);
        assertThat(all.getRGB(10, 10)).isEqualTo(0xFF000000 | TissueClass.TUMOR.rgb());
        assertThat(all.getRGB(200, 10)).isEqualTo(0xFF000000 | TissueClass.STROMA.rgb());
        BufferedImage noTumour = ImageIO.read(new ByteArrayInputStream(
                get(map + ".png?hide=" + TissueClass.TUMOR.value()).body()));
        assertThat(noTumour.getRGB(10, 10) >>> 24).isZero();
        assertThat(noTumour.getRGB(200, 10)).isEqualTo(0xFF000000 | TissueClass.STROMA.rgb());
    }

    @Test
    void answersOnlyTheCellsInTheBoxAsked() throws Exception {
        String cells = ViewerServer.API + "features/cell_classification:geojson_polygons.json?bbox=";
        JsonNode all = JSON.readTree(get(cells + "0,0,2000,1500").body());
        assertThat(all.path("count").asInt()).isEqualTo(100);
        JsonNode some = JSON.readTree(get(cells + "0,0,200,200").body());
        // Cells start at x = 10 + 19 i: those with x < 200 are i = 0..9.
        assertThat(some.path("count").asInt()).isEqualTo(10);
        JsonNode first = some.path("features").get(0);
        assertThat(first.get(0).asInt())
                .as("class index of Lymphocyte in CellClass order")
                .isZero();
        assertThat(first.get(1).get(0).asInt()).isEqualTo(10);
        assertThat(get(cells + "nonsense").statusCode()).isEqualTo(400);
    }

    @Test
    void servesThePage() throws Exception {
        HttpResponse<byte[]> page = get("/viewer/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(new String(page.body(), StandardCharsets.UTF_8)).contains("<canvas id=\"canvas\"");
        assertThat(get("/viewer/viewer.js").headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
        assertThat(server.pageUrl().toString()).endsWith("/viewer/?local=1");
    }

    private HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }
}
