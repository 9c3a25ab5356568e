package org.tessera.orchestrator.application.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tessera.contracts.ContractsJson;
import org.tessera.contracts.manifest.ApplicationManifest;
import org.tessera.models.examples.NucleiOnlyExample;
import org.tessera.models.onnx.OnnxModel;
import org.tessera.orchestrator.application.domain.ApplicationVersion;

/**
 * What registration refuses, and why: each case changes one thing of the nuclei-only example (a real model built by
 * the project, opened and run with ONNX Runtime) and expects the reason that names it.
 */
class ManifestChecksTest {

    private static final byte[] MODEL = NucleiOnlyExample.model();

    private static ObjectNode example() throws Exception {
        return (ObjectNode) ContractsJson.mapper().readTree(NucleiOnlyExample.manifest());
    }

    private static ManifestRefusedException.Reason refusal(ObjectNode manifest, byte[] model) {
        try {
            ApplicationManifest read = ManifestReader.read(manifest.toString().getBytes(StandardCharsets.UTF_8));
            ModelCheck.check(0, read.tasks().getFirst(), model);
        } catch (ManifestRefusedException e) {
            return e.reasons().getFirst();
        }
        throw new AssertionError("accepted: " + manifest);
    }

    @Test
    void theExampleIsAcceptedAndItsCatalogueEntryDerivedFromIt() throws Exception {
        ApplicationManifest manifest =
                ManifestReader.read(NucleiOnlyExample.manifest().getBytes(StandardCharsets.UTF_8));
        ModelCheck.check(0, manifest.tasks().getFirst(), MODEL);

        ApplicationVersion version = ManifestEntries.version(manifest, Instant.parse("2026-12-05T10:00:00Z"));
        assertThat(version.outputArtifacts())
                .extracting(a -> a.name() + " " + a.mimeType())
                .containsExactly(
                        "nucleus_detection:geojson_polygons application/geo+json",
                        "nucleus_detection:csv_detections text/csv",
                        "nucleus_detection:slide_readouts application/json");
        assertThat(version.outputArtifacts()
                        .getFirst()
                        .metadataSchema()
                        .at("/properties/object_count/type")
                        .asText())
                .isEqualTo("integer");
        assertThat(version.outputArtifacts()
                        .getFirst()
                        .metadataSchema()
                        .path("description")
                        .asText())
                .contains("Nucleus (#1E3C9C)");
        assertThat(version.inputArtifacts()
                        .getFirst()
                        .metadataSchema()
                        .at("/properties/resolution_mpp/maximum")
                        .asDouble())
                .isEqualTo(ManifestEntries.DEFAULT_MAX_MPP);
    }

    @Test
    void aModelWhoseChecksumIsNotTheManifestsIsRefusedWithBothChecksums() throws Exception {
        byte[] other = MODEL.clone();
        other[other.length - 1] ^= 1;

        ManifestRefusedException.Reason reason = refusal(example(), other);

        assertThat(reason.type()).isEqualTo(ManifestRefusedException.CHECKSUM_MISMATCH);
        assertThat(reason.path()).containsExactly("tasks", 0, "model", "sha256");
        assertThat(reason.message()).contains(OnnxModel.sha256(other)).contains(OnnxModel.sha256(MODEL));
    }

    @Test
    void aTileSizeTheModelDoesNotTakeIsRefused() throws Exception {
        // A model fixed to 256-pixel tiles, described as taking 512.
        OnnxModel fixed = new OnnxModel("fixed").input("rgb", -1, 3, 256, 256).output("seeds", -1, 1, 256, 256);
        fixed.node(
                "ReduceMean",
                List.of("rgb"),
                List.of("seeds"),
                OnnxModel.Attribute.ints("axes", 1),
                OnnxModel.Attribute.integer("keepdims", 1));
        byte[] model = fixed.toBytes();
        ObjectNode manifest = example();
        ((ObjectNode) manifest.at("/tasks/0/model")).put("sha256", OnnxModel.sha256(model));
        ((ObjectNode) manifest.at("/tasks/0/model/output")).remove("outlines");

        ManifestRefusedException.Reason reason = refusal(manifest, model);

        assertThat(reason.type()).isEqualTo(ManifestRefusedException.INPUT_MISMATCH);
        assertThat(reason.path()).containsExactly("tasks", 0, "model", "input", "tile_size");
        assertThat(reason.message()).contains("256x256").contains("tile_size 512");
    }

    @Test
    void moreClassesThanTheModelHasChannelsIsRefused() throws Exception {
        ObjectNode manifest = example();
        ((com.fasterxml.jackson.databind.node.ArrayNode) manifest.at("/tasks/0/model/output/classes"))
                .addObject()
                .put("name", "Mitosis")
                .put("color", "#FF0000");

        ManifestRefusedException.Reason reason = refusal(manifest, MODEL);

        assertThat(reason.type()).isEqualTo(ManifestRefusedException.CLASS_COUNT_MISMATCH);
        assertThat(reason.path()).containsExactly("tasks", 0, "model", "output", "classes");
        assertThat(reason.message()).isEqualTo("output 'seeds' has 1 channels, the manifest names 2 classes");
    }

    @Test
    void anUnknownOutputKindIsRefusedByName() throws Exception {
        ObjectNode manifest = example();
        ((ObjectNode) manifest.at("/tasks/0/model/output")).put("kind", "heatmap");

        ManifestRefusedException.Reason reason = refusal(manifest, MODEL);

        assertThat(reason.type()).isEqualTo(ManifestRefusedException.UNKNOWN_OUTPUT_KIND);
        assertThat(reason.toString())
                .isEqualTo("tasks[0].model.output.kind: unknown output kind 'heatmap'; the worker runs [class_map,"
                        + " detections]");
    }

    @Test
    void anArtifactTheOutputCannotGiveAndAMissingTensorAreRefused() throws Exception {
        ObjectNode manifest = example();
        ((com.fasterxml.jackson.databind.node.ArrayNode) manifest.at("/tasks/0/artifacts"))
                .add("segmentation_map_image");
        assertThat(refusal(manifest, MODEL).type()).isEqualTo(ManifestRefusedException.ARTIFACT_DOES_NOT_FIT);

        ObjectNode renamed = example();
        ((ObjectNode) renamed.at("/tasks/0/model/output")).put("tensor", "centres");
        ManifestRefusedException.Reason reason = refusal(renamed, MODEL);
        assertThat(reason.type()).isEqualTo(ManifestRefusedException.OUTPUT_MISMATCH);
        assertThat(reason.message()).contains("no output 'centres'").contains("seeds");
    }

    @Test
    void aManifestMissingItsChecksumFailsTheSchemaNamingTheField() throws Exception {
        ObjectNode manifest = example();
        ((ObjectNode) manifest.at("/tasks/0/model")).remove("sha256");

        assertThatThrownBy(() -> ManifestReader.read(manifest.toString().getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ManifestRefusedException.class)
                .hasMessageContaining("tasks[0].model.sha256");
    }
}
