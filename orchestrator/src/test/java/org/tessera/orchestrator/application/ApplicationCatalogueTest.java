package org.tessera.orchestrator.application;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.tessera.orchestrator.application.domain.Application;
import org.tessera.orchestrator.application.domain.ApplicationVersion;
import org.tessera.orchestrator.application.domain.ArtifactSpec;
import org.tessera.orchestrator.application.domain.ErrorThreshold;

class ApplicationCatalogueTest {

    private static final ApplicationCatalogue CATALOGUE = ApplicationCatalogue.load(new ObjectMapper());

    /** The spec's pattern for mime_type. */
    private static final Pattern MIME_TYPE = Pattern.compile("^\\w+/\\w+[-+.|\\w+]+\\w+$");

    @Test
    void servesTheFreeTestApplicationAndHeTme() {
        assertThat(CATALOGUE.applications())
                .extracting(Application::applicationId)
                .containsExactly("he-tme", "test-app");
        assertThat(CATALOGUE
                        .application("test-app")
                        .orElseThrow()
                        .latestVersion()
                        .orElseThrow()
                        .number())
                .isEqualTo("1.1.0");
    }

    @Test
    void everyVersionDeclaresTheDefaultErrorThresholdAndAMissingOneMeansTheDefault() throws Exception {
        for (Application application : CATALOGUE.applications()) {
            for (ApplicationVersion version : application.versions()) {
                assertThat(version.errorThreshold()).isEqualTo(new ErrorThreshold(10, 25));
            }
        }
        ObjectMapper mapper = new ObjectMapper();
        JsonNode root = mapper.readTree(ApplicationCatalogue.class.getResourceAsStream(ApplicationCatalogue.RESOURCE));
        var versions = (com.fasterxml.jackson.databind.node.ArrayNode)
                root.path("applications").get(0).path("versions");
        ((com.fasterxml.jackson.databind.node.ObjectNode) versions.get(0)).remove("error_threshold");
        ((com.fasterxml.jackson.databind.node.ObjectNode) versions.get(1))
                .putObject("error_threshold")
                .put("max_failed_percent", 5);

        ApplicationCatalogue edited = ApplicationCatalogue.fromJson(root);

        Application first = edited.applications().stream()
                .filter(a -> a.applicationId()
                        .equals(root.path("applications")
                                .get(0)
                                .path("application_id")
                                .asText()))
                .findFirst()
                .orElseThrow();
        assertThat(first.version(versions.get(0).path("number").asText())
                        .orElseThrow()
                        .errorThreshold())
                .isEqualTo(ErrorThreshold.DEFAULT);
        assertThat(first.version(versions.get(1).path("number").asText())
                        .orElseThrow()
                        .errorThreshold())
                .isEqualTo(new ErrorThreshold(10, 5));
    }

    @Test
    void everyServedSchemaIsValidJsonSchema2020() {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        Schema metaSchema = registry.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        for (Application application : CATALOGUE.applications()) {
            for (ApplicationVersion version : application.versions()) {
                for (ArtifactSpec artifact : artifacts(version)) {
                    assertThat(metaSchema.validate(artifact.metadataSchema().toString(), InputFormat.JSON))
                            .as("%s %s %s", application.applicationId(), version.number(), artifact.name())
                            .isEmpty();
                    assertThat(artifact.mimeType()).matches(MIME_TYPE);
                }
            }
        }
    }

    @Test
    void inputSchemasAreClosedAndUseDefs() {
        for (Application application : CATALOGUE.applications()) {
            for (ApplicationVersion version : application.versions()) {
                JsonNode schema =
                        version.inputArtifact("whole_slide_image").orElseThrow().metadataSchema();
                assertThat(schema.get("additionalProperties").asBoolean(true)).isFalse();
                assertThat(schema.has("$defs")).isTrue();
                assertThat(schema.get("$defs").get("InputMediaType").get("enum"))
                        .extracting(JsonNode::asText)
                        .containsExactlyInAnyOrder(
                                "image/tiff", "application/dicom", "application/zip", "application/octet-stream");
            }
        }
    }

    @Test
    void outputNamesAreTheOnesWorkersWrite() {
        List<String> testApp = names(
                CATALOGUE.application("test-app").orElseThrow().latestVersion().orElseThrow());
        assertThat(testApp)
                .containsExactly(
                        "tissue_qc:segmentation_map_image",
                        "tissue_qc:geojson_polygons",
                        "tissue_qc:csv_class_information",
                        "tissue_segmentation:segmentation_map_image",
                        "tissue_segmentation:geojson_polygons",
                        "tissue_segmentation:csv_class_information");
        List<String> heTme = names(
                CATALOGUE.application("he-tme").orElseThrow().latestVersion().orElseThrow());
        assertThat(heTme)
                .containsAll(testApp)
                .contains(
                        "cell_classification:geojson_polygons",
                        "readout_generation:slide_readouts",
                        "readout_generation:cell_readouts");
        // Clients download only these media types.
        for (Application application : CATALOGUE.applications()) {
            for (ApplicationVersion version : application.versions()) {
                assertThat(version.outputArtifacts())
                        .extracting(ArtifactSpec::mimeType)
                        .allMatch(List.of(
                                "image/png",
                                "image/tiff",
                                "application/vnd.apache.parquet",
                                "application/geo+json",
                                "application/json",
                                "text/csv")::contains);
            }
        }
    }

    private static List<ArtifactSpec> artifacts(ApplicationVersion version) {
        return java.util.stream.Stream.concat(version.inputArtifacts().stream(), version.outputArtifacts().stream())
                .toList();
    }

    private static List<String> names(ApplicationVersion version) {
        return version.outputArtifacts().stream().map(ArtifactSpec::name).toList();
    }
}
