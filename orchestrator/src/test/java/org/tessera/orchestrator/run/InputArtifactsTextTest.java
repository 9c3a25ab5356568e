package org.tessera.orchestrator.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tessera.orchestrator.common.Json;
import org.tessera.orchestrator.run.submission.RunSubmission.InputArtifactSubmission;

/** One generator writes a submission's item inputs one after another; each item's text stands alone. */
class InputArtifactsTextTest {

    @Test
    void eachItemsTextIsWhatAGeneratorOfItsOwnWrites() {
        List<InputArtifactSubmission> a = List.of(new InputArtifactSubmission(
                "whole_slide_image",
                "https://store.example/a.svs?sig=x",
                Json.parse("{\"checksum_base64_crc32c\": \"AAAAAA==\", \"resolution_mpp\": 0.250}")));
        List<InputArtifactSubmission> b = List.of(
                new InputArtifactSubmission("whole_slide_image", "https://store.example/b \\\"q\\\".svs", null),
                new InputArtifactSubmission("mask", "https://store.example/m.tiff", Json.parse("[]")));
        RunCreation.InputArtifactsText shared = new RunCreation.InputArtifactsText();
        String textA = shared.of(a);
        String textB = shared.of(b);
        assertThat(textA)
                .isEqualTo(RunCreation.inputArtifactsJson(a))
                .startsWith("[{")
                .endsWith("}]");
        assertThat(textB).isEqualTo(RunCreation.inputArtifactsJson(b)).startsWith("[{");
        assertThat(textA).contains("\"resolution_mpp\":0.250");
        assertThat(Json.parse(textB).get(0).get("metadata").isNull()).isTrue();
        assertThat(Json.parse(textB).get(1).get("name").asText()).isEqualTo("mask");
        assertThat(shared.of(a)).as("the same item again").isEqualTo(textA);
    }
}
