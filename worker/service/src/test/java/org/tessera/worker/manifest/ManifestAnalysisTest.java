package org.tessera.worker.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.contracts.ContractsJson;
import org.tessera.contracts.manifest.ApplicationManifest;
import org.tessera.imaging.synthetic.SyntheticSlide;
import org.tessera.imaging.synthetic.SyntheticSlideGenerator;
import org.tessera.models.ModelRegistry.ModelChecksumException;
import org.tessera.models.examples.NucleiOnlyExample;
import org.tessera.objectstore.FilesystemObjectStore;
import org.tessera.objectstore.ObjectStore;
import org.tessera.objectstore.UrlSigner;
import org.tessera.slides.SlideReader;
import org.tessera.slides.SlideReaders;
import org.tessera.worker.common.ProgressSink;
import org.tessera.worker.testing.AnalysisFixtures;

/**
 * The example manifest (nuclei-only, the platform's nucleus graph described by a manifest) run by the worker's
 * manifest analysis on a generated slide: the artifacts it names, valid GeoJSON, and as many nuclei as the slide has.
 */
class ManifestAnalysisTest {

    private static final String KEY = "models/nuclei-only/1.0.0/model.onnx";

    @TempDir
    Path dir;

    private ObjectStore store() {
        return new FilesystemObjectStore(
                dir.resolve("store"),
                new UrlSigner("0123456789abcdef0123456789abcdef", URI.create("http://127.0.0.1:1"), Clock.systemUTC()));
    }

    private static ApplicationManifest manifest() throws Exception {
        return ContractsJson.mapper()
                .readValue(NucleiOnlyExample.manifest(), ApplicationManifest.class)
                .withObjectKeys(task -> KEY);
    }

    @Test
    void theNucleiOnlyExampleFindsTheSlidesNucleiAndWritesWhatItsManifestNames() throws Exception {
        ObjectStore store = store();
        Path model = Files.write(dir.resolve("model.onnx"), NucleiOnlyExample.model());
        store.put(KEY, model, "application/octet-stream");
        SyntheticSlide slide = SyntheticSlideGenerator.generate(dir.resolve("slide.tiff"), 1536, 1024, 0.5, 41);
        Path out = Files.createDirectories(dir.resolve("out"));

        List<ManifestAnalysis.Output> outputs;
        try (SlideReader reader = SlideReaders.builtIn().open(slide.path(), "slide")) {
            outputs = new ManifestAnalysis(AnalysisFixtures.cpu(2, 2), new ModelCache(store, dir.resolve("cache")))
                    .analyze(reader, 0.5, manifest(), UUID.randomUUID(), out, ProgressSink.NONE);
        }

        assertThat(outputs)
                .extracting(ManifestAnalysis.Output::name)
                .containsExactly(
                        "nucleus_detection:geojson_polygons",
                        "nucleus_detection:csv_detections",
                        "nucleus_detection:slide_readouts");
        JsonNode geojson = new ObjectMapper().readTree(outputs.getFirst().file().toFile());
        assertThat(geojson.path("type").asText()).isEqualTo("FeatureCollection");
        int truth = slide.groundTruth().nucleiIn(0, 0, 1536, 1024).size();
        int found = geojson.path("features").size();
        assertThat(found).as("nuclei found vs %d on the slide", truth).isBetween((int) (truth * 0.7), (int)
                (truth * 1.3));
        JsonNode first = geojson.path("features").get(0);
        assertThat(first.at("/geometry/type").asText()).isEqualTo("Polygon");
        JsonNode ring = first.at("/geometry/coordinates/0");
        assertThat(ring.get(0)).isEqualTo(ring.get(ring.size() - 1));
        assertThat(first.at("/properties/classification/name").asText()).isEqualTo("Nucleus");
        assertThat(outputs.getFirst().metadata().path("object_count").asLong()).isEqualTo(found);
        assertThat(Files.readAllLines(outputs.get(1).file())).hasSize(found + 1);
        JsonNode readouts = new ObjectMapper().readTree(outputs.get(2).file().toFile());
        assertThat(readouts.at("/classes/0/count").asLong()).isEqualTo(found);
        assertThat(readouts.at("/classes/0/density_per_mm2").asDouble()).isPositive();
    }

    @Test
    void aModelWhoseBytesAreNotTheManifestsIsRefused() throws Exception {
        ObjectStore store = store();
        byte[] tampered = NucleiOnlyExample.model();
        tampered[tampered.length - 1] ^= 1;
        store.put(KEY, Files.write(dir.resolve("model.onnx"), tampered), "application/octet-stream");
        ModelCache cache = new ModelCache(store, dir.resolve("cache"));

        assertThatThrownBy(() -> cache.load(manifest().tasks().getFirst().model()))
                .isInstanceOf(ModelChecksumException.class)
                .hasMessageContaining("the manifest says");
        try (var left = Files.list(dir.resolve("cache"))) {
            assertThat(left).as("nothing cached").isEmpty();
        }
    }
}
