package org.tessera.contracts.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.tessera.contracts.ContractsJson;
import org.tessera.contracts.Envelope;
import org.tessera.contracts.Payload;
import org.tessera.contracts.SlideJob;

class ApplicationManifestTest {

    private static final Path SAMPLE =
            Path.of("src/main/resources/org/tessera/contracts/samples/slide.job/v1-with-manifest.json");

    private static Schema schema() throws IOException {
        try (InputStream in = ApplicationManifest.class.getResourceAsStream(ApplicationManifest.SCHEMA_RESOURCE)) {
            assertThat(in).as(ApplicationManifest.SCHEMA_RESOURCE).isNotNull();
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                    .getSchema(new String(in.readAllBytes(), StandardCharsets.UTF_8), InputFormat.JSON);
        }
    }

    @Test
    void theManifestASlideJobCarriesValidatesAgainstTheManifestSchema() throws IOException {
        JsonNode manifest =
                ContractsJson.mapper().readTree(Files.readAllBytes(SAMPLE)).at("/payload/manifest");

        assertThat(schema().validate(manifest.toString(), InputFormat.JSON)).isEmpty();
    }

    @Test
    void theSlideJobReadsItsManifestTypedAndLeavesItOutForBuiltInVersions() throws IOException {
        Envelope<Payload> envelope = ContractsJson.read(Files.readAllBytes(SAMPLE));
        SlideJob job = (SlideJob) envelope.payload();

        ManifestTask task = job.manifest().tasks().getFirst();
        assertThat(task.model().objectKey()).startsWith("models/nuclei-only/1.0.0/");
        assertThat(task.model().output().outlines().tensor()).isEqualTo("stains");
        assertThat(task.artifactName("csv_detections")).isEqualTo("nucleus_detection:csv_detections");

        SlideJob builtIn = new SlideJob("e", "test-app", "1.0.0", "org", 1, java.util.List.of(), "outputs/r/i/");
        assertThat(ContractsJson.mapper().valueToTree(builtIn).has("manifest")).isFalse();
    }

    @Test
    void theSchemaRefusesAnUnknownOutputKindAndAModelWithoutChecksum() throws IOException {
        ObjectNode manifest = (ObjectNode)
                ContractsJson.mapper().readTree(Files.readAllBytes(SAMPLE)).at("/payload/manifest");
        ObjectNode model = (ObjectNode) manifest.at("/tasks/0/model");
        ((ObjectNode) model.get("output")).put("kind", "heatmap");
        model.remove("sha256");

        var errors = schema().validate(manifest.toString(), InputFormat.JSON);

        assertThat(errors)
                .extracting(e -> e.getInstanceLocation().toString())
                .anyMatch(l -> l.contains("output") && l.contains("kind"))
                .anyMatch(l -> l.contains("model"));
    }

    @Test
    void artifactKindsSayWhichOutputTheyFit() {
        assertThat(ArtifactKind.idsFitting(ModelOutput.DETECTIONS))
                .containsExactly("geojson_polygons", "csv_detections", "slide_readouts");
        assertThat(ArtifactKind.idsFitting(ModelOutput.CLASS_MAP))
                .containsExactly(
                        "segmentation_map_image", "geojson_polygons", "csv_class_information", "slide_readouts");
    }
}
