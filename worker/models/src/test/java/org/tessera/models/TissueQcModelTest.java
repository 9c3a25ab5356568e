package org.tessera.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tessera.models.classes.QcClass;

/** Five 32×32 patches side by side, each made to look like one QC class; the model must name each. */
class TissueQcModelTest {

    private static final int P = 32;
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
    private static long[][][] classes;

    @BeforeAll
    static void runModel() throws Exception {
        int width = P * 5;
        float[] rgb = new float[3 * P * width];
        SplittableRandom random = new SplittableRandom(7);
        for (int y = 0; y < P; y++) {
            for (int x = 0; x < width; x++) {
                int[] c = switch (x / P) {
                    case 0 -> new int[] {244, 243, 246}; // glass
                    case 1 ->
                        random.nextInt(4) == 0 // sharp tissue: nuclei speckle on stroma
                                ? new int[] {95, 55, 150}
                                : new int[] {225, 140, 190};
                    case 2 -> new int[] {70, 160, 90}; // green marker ink
                    case 3 -> new int[] {205, 125, 180}; // blurred tissue: smooth, no texture
                    default -> new int[] {60, 20, 70}; // fold: several layers of stained tissue
                };
                for (int ch = 0; ch < 3; ch++) {
                    rgb[ch * P * width + y * width + x] = c[ch];
                }
            }
        }
        byte[] model = TissueQcModel.build(TissueQcModel.Parameters.defaults());
        try (OrtSession session = ENV.createSession(model, new OrtSession.SessionOptions());
                OnnxTensor input = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(rgb), new long[] {1, 3, P, width});
                OrtSession.Result result = session.run(Map.of("rgb", input))) {
            classes = ((long[][][][]) result.get("qc_class").orElseThrow().getValue())[0];
        }
    }

    private static QcClass at(int patch) {
        return QcClass.values()[(int) classes[0][P / 2][patch * P + P / 2]];
    }

    @Test
    void glassIsBackground() {
        assertThat(at(0)).isEqualTo(QcClass.BACKGROUND);
    }

    @Test
    void texturedStainedTissueIsUsableTissue() {
        assertThat(at(1)).isEqualTo(QcClass.TISSUE);
    }

    @Test
    void inkThatNoStainMixProducesIsAPenMark() {
        assertThat(at(2)).isEqualTo(QcClass.PEN_MARK);
    }

    @Test
    void stainedTissueWithoutTextureIsBlurred() {
        assertThat(at(3)).isEqualTo(QcClass.BLUR);
    }

    @Test
    void veryDarkTissueIsAFoldOrDarkRegion() {
        assertThat(at(4)).isEqualTo(QcClass.FOLD_OR_DARK);
    }
}
