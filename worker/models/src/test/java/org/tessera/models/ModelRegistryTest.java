package org.tessera.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.models.onnx.OnnxModel;

class ModelRegistryTest {

    @Test
    void builtInModelsAreByteIdenticalOnEveryBuild() throws Exception {
        ModelRegistry a = ModelRegistry.withBuiltInModels();
        ModelRegistry b = ModelRegistry.withBuiltInModels();
        for (String id : a.builtIn().keySet()) {
            assertThat(a.builtIn().get(id).sha256())
                    .isEqualTo(b.builtIn().get(id).sha256());
            assertThat(OnnxModel.sha256(a.builtIn().get(id).load()))
                    .isEqualTo(a.builtIn().get(id).sha256());
        }
    }

    @Test
    void heTmeRunsCellDetectionAndTestAppDoesNot() {
        ModelRegistry registry = ModelRegistry.withBuiltInModels();
        assertThat(registry.model("he-tme", "1.0.0", ModelRegistry.CELL_DETECTION))
                .isPresent();
        assertThat(registry.model("test-app", "1.0.0", ModelRegistry.CELL_DETECTION))
                .isEmpty();
        assertThat(registry.model("test-app", "1.1.0", ModelRegistry.TISSUE_QC)).isPresent();
    }

    @Test
    void userModelIsVerifiedAgainstItsRegisteredChecksum(@TempDir Path dir) throws Exception {
        byte[] bytes = StainModels.stainAndTissue();
        Path file = dir.resolve("custom.onnx");
        Files.write(file, bytes);
        ModelRegistry registry = ModelRegistry.withBuiltInModels();
        ModelRegistry.ModelFile good =
                registry.registerFile("test-app", "2.0.0", ModelRegistry.TISSUE_QC, file, OnnxModel.sha256(bytes));
        assertThat(good.load()).isEqualTo(bytes);
        assertThat(registry.model("test-app", "2.0.0", ModelRegistry.TISSUE_QC)).contains(good);

        ModelRegistry.ModelFile bad =
                registry.registerFile("test-app", "2.0.1", ModelRegistry.TISSUE_QC, file, "00".repeat(32));
        assertThatThrownBy(bad::load)
                .isInstanceOf(ModelRegistry.ModelChecksumException.class)
                .hasMessageContaining("custom.onnx");
    }
}
