package org.tessera.worker.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.twelvemonkeys.imageio.plugins.tiff.TIFFImageReaderSpi;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageReader;
import javax.imageio.stream.FileImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.contracts.ContractsJson;
import org.tessera.models.classes.QcClass;
import org.tessera.worker.analysis.ClassMap;

class OutputWritersTest {

    @TempDir
    Path dir;

    /** 600 x 400 map of scale 10 over a 5995 x 3990 slide at 0.5 µm: a tissue block with a hole. */
    private static ClassMap map() {
        int width = 600;
        int height = 400;
        byte[] values = new byte[width * height];
        for (int y = 100; y < 300; y++) {
            for (int x = 100; x < 400; x++) {
                boolean hole = x >= 200 && x < 250 && y >= 150 && y < 200;
                values[y * width + x] = (byte) (hole ? 0 : 1);
            }
        }
        return new ClassMap(width, height, values, 10, 5995, 3990, 0.5, List.of(QcClass.BACKGROUND, QcClass.TISSUE));
    }

    @Test
    void geoJsonIsAQuPathFeatureCollectionInLevelZeroPixels() throws Exception {
        Path file = dir.resolve("polygons.geojson");
        GeoJsonWriter.write(map(), file, "item/tissue_qc");

        JsonNode root = ContractsJson.mapper().readTree(file.toFile());
        assertThat(root.path("type").asText()).isEqualTo("FeatureCollection");
        assertThat(root.path("features")).hasSize(1);
        JsonNode feature = root.path("features").get(0);
        assertThat(feature.path("type").asText()).isEqualTo("Feature");
        assertThat(feature.path("properties").path("objectType").asText()).isEqualTo("annotation");
        assertThat(feature.path("properties")
                        .path("classification")
                        .path("name")
                        .asText())
                .isEqualTo("Tissue");
        assertThat(feature.path("properties").path("classification").path("color"))
                .hasSize(3);
        JsonNode geometry = feature.path("geometry");
        assertThat(geometry.path("type").asText()).isEqualTo("Polygon");
        assertThat(geometry.path("coordinates")).hasSize(2);
        JsonNode exterior = geometry.path("coordinates").get(0);
        assertThat(exterior.get(0).get(0).asDouble()).isEqualTo(1000.0);
        assertThat(exterior.get(0).get(1).asDouble()).isEqualTo(1000.0);
        assertThat(exterior.get(0)).isEqualTo(exterior.get(exterior.size() - 1));
        assertThat(geometry.path("coordinates").get(1)).hasSize(5);

        Path again = dir.resolve("again.geojson");
        GeoJsonWriter.write(map(), again, "item/tissue_qc");
        assertThat(Files.readAllBytes(again)).as("repeatable").isEqualTo(Files.readAllBytes(file));
    }

    @Test
    void csvAreasAddUpToTheSlide() throws Exception {
        Path file = dir.resolve("classes.csv");
        ClassAreaCsvWriter.write(map(), file);
        List<String> lines = Files.readAllLines(file);
        assertThat(lines.getFirst()).isEqualTo("class,pixels,area_mm2,percent");
        assertThat(lines).hasSize(3);
        String[] background = lines.get(1).split(",");
        String[] tissue = lines.get(2).split(",");
        assertThat(tissue[0]).isEqualTo("Tissue");
        assertThat(Long.parseLong(tissue[1])).isEqualTo(300L * 200 - 50 * 50);
        // 57,500 map pixels of 10 x 10 level-0 pixels of 0.5 µm: 57,500 * 25 µm² = 1.4375 mm².
        assertThat(Double.parseDouble(tissue[2])).isCloseTo(1.4375, offset(1e-6));
        double slideMm2 = 5995 * 3990 * 0.25 / 1e6;
        assertThat(Double.parseDouble(background[2]) + Double.parseDouble(tissue[2]))
                .isCloseTo(slideMm2, offset(1e-5));
        assertThat(Double.parseDouble(background[3]) + Double.parseDouble(tissue[3]))
                .isCloseTo(100, offset(1e-3));
    }

    @Test
    void segmentationMapIsAPyramidalPaletteTiffOfClassValues() throws Exception {
        Path file = dir.resolve("map.tiff");
        SegmentationMapWriter.write(map(), file);
        ImageReader reader = new TIFFImageReaderSpi().createReaderInstance();
        try (FileImageInputStream in = new FileImageInputStream(file.toFile())) {
            reader.setInput(in);
            assertThat(reader.getNumImages(true)).isEqualTo(3);
            BufferedImage level0 = reader.read(0);
            assertThat(level0.getWidth()).isEqualTo(600);
            assertThat(level0.getRaster().getSample(150, 150, 0)).isEqualTo(1);
            assertThat(level0.getRaster().getSample(220, 170, 0)).isZero();
            assertThat(level0.getRGB(150, 150) & 0xFFFFFF).isEqualTo(QcClass.TISSUE.rgb());
            assertThat(reader.getWidth(2)).isEqualTo(150);
        } finally {
            reader.dispose();
        }
    }
}
