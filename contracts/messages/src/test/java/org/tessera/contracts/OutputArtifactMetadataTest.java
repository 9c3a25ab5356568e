package org.tessera.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The optional {@code metadata} of an output artifact is additive: old messages read, new ones validate. */
class OutputArtifactMetadataTest {

    private static final java.nio.file.Path SAMPLES =
            ContractSamplesTest.RESOURCES.resolve("samples").resolve(ItemSucceeded.TYPE);

    @Test
    void aSampleWrittenBeforeMetadataExistedReadsWithoutMetadata() throws IOException {
        Envelope<ItemSucceeded> read =
                ContractsJson.read(Files.readAllBytes(SAMPLES.resolve("v1.json")), ItemSucceeded.class);

        OutputArtifact artifact = read.payload().outputArtifacts().getFirst();
        assertThat(artifact.metadata()).isNull();
        assertThat(artifact.checksumBase64Crc32c()).isEqualTo("q83vEg==");
    }

    @Test
    void theSampleWithMapMetadataCarriesItsDimensionsResolutionAndColours() throws IOException {
        Envelope<ItemSucceeded> read =
                ContractsJson.read(Files.readAllBytes(SAMPLES.resolve("v1-with-metadata.json")), ItemSucceeded.class);

        OutputArtifact map = read.payload().outputArtifacts().get(1);
        assertThat(map.metadata().get("width_px").asInt()).isEqualTo(1024);
        assertThat(map.metadata().get("resolution_mpp").asDouble()).isEqualTo(8.0);
        assertThat(map.metadata().get("class_colors").get("tissue"))
                .containsExactly(
                        JsonNodeFactory.instance.numberNode(44),
                        JsonNodeFactory.instance.numberNode(160),
                        JsonNodeFactory.instance.numberNode(44));
        assertThat(read.payload().outputArtifacts().getFirst().metadata()).isNull();
    }

    @Test
    void anArtifactWithoutMetadataIsWrittenWithoutTheKeyAndOneWithItValidates() throws IOException {
        ObjectNode metadata =
                JsonNodeFactory.instance.objectNode().put("width_px", 10).put("height_px", 20);
        metadata.putObject("class_colors").putArray("tumor").add(200).add(0).add(0);
        OutputArtifact plain = new OutputArtifact("a:b", "k1", "text/csv", 3, "AAAAAA==");
        OutputArtifact described = new OutputArtifact("c:d", "k2", "image/tiff", 4, "AAAAAA==", metadata);
        Envelope<ItemSucceeded> envelope = Envelope.of(
                UUID.randomUUID(),
                Instant.parse("2026-11-30T10:15:30Z"),
                UUID.randomUUID(),
                UUID.randomUUID(),
                new ItemSucceeded(1, "worker-0", List.of(plain, described)));

        String json = ContractsJson.toJson(envelope);
        JsonNode artifacts =
                ContractsJson.mapper().readTree(json).path("payload").path("output_artifacts");

        assertThat(artifacts.get(0).has("metadata")).isFalse();
        assertThat(artifacts.get(1).path("metadata")).isEqualTo(metadata);
        assertThat(ContractSamplesTest.validate(ItemSucceeded.TYPE, 1, json)).isEmpty();
        ObjectNode broken = (ObjectNode) ContractsJson.mapper().readTree(json.getBytes(StandardCharsets.UTF_8));
        ((ObjectNode) broken.path("payload").path("output_artifacts").get(1).path("metadata"))
                .putObject("class_colors")
                .put("tumor", "red");
        assertThat(ContractSamplesTest.validate(ItemSucceeded.TYPE, 1, broken.toString()))
                .isNotEmpty();
    }
}
