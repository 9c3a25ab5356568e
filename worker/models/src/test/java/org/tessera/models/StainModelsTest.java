package org.tessera.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tessera.models.onnx.OnnxModel;

class StainModelsTest {

    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    /** Runs the model on a 1×3×1×P image of P pixels and returns {stains[3][P], tissue[P]}. */
    private static float[][] run(int[]... pixels) throws Exception {
        int p = pixels.length;
        float[] data = new float[3 * p];
        for (int i = 0; i < p; i++) {
            for (int c = 0; c < 3; c++) {
                data[c * p + i] = pixels[i][c];
            }
        }
        try (OrtSession session = ENV.createSession(StainModels.stainAndTissue(), new OrtSession.SessionOptions());
                OnnxTensor input = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(data), new long[] {1, 3, 1, p});
                OrtSession.Result result = session.run(Map.of("rgb", input))) {
            float[][][][] stains =
                    (float[][][][]) result.get("stains").orElseThrow().getValue();
            float[][][][] tissue =
                    (float[][][][]) result.get("tissue").orElseThrow().getValue();
            float[][] out = new float[4][p];
            for (int i = 0; i < p; i++) {
                out[0][i] = stains[0][0][0][i];
                out[1][i] = stains[0][1][0][i];
                out[2][i] = stains[0][2][0][i];
                out[3][i] = tissue[0][0][0][i];
            }
            return out;
        }
    }

    @Test
    void backgroundIsNotTissueAndStainedPixelsAre() throws Exception {
        float[][] out = run(new int[] {245, 245, 245}, new int[] {232, 150, 195}, new int[] {110, 60, 160});

        assertThat(out[3][0]).as("white glass").isLessThan(0.1f);
        assertThat(out[3][1]).as("eosin-pink stroma").isGreaterThan(0.9f);
        assertThat(out[3][2]).as("haematoxylin-purple nucleus").isGreaterThan(0.99f);
    }

    @Test
    void deconvolutionSeparatesHaematoxylinFromEosin() throws Exception {
        float[][] out = run(new int[] {232, 150, 195}, new int[] {110, 60, 160});

        float pinkH = out[0][0];
        float pinkE = out[1][0];
        float purpleH = out[0][1];
        assertThat(purpleH).isGreaterThan(3 * pinkH);
        assertThat(pinkE).isGreaterThan(pinkH);
    }

    @Test
    void pureStainVectorsMapToOneChannel() throws Exception {
        // A pixel whose optical density is exactly one unit of haematoxylin.
        double[] h = StainModels.stainMatrix()[0];
        int[] rgb = new int[3];
        for (int c = 0; c < 3; c++) {
            rgb[c] = (int) Math.round(256 * Math.pow(10, -h[c]) - 1);
        }
        float[][] out = run(rgb);

        assertThat(out[0][0]).isCloseTo(1f, within(0.05f));
        assertThat(out[1][0]).isCloseTo(0f, within(0.05f));
        assertThat(out[2][0]).isCloseTo(0f, within(0.05f));
    }

    @Test
    void buildIsReproducible() {
        assertThat(OnnxModel.sha256(StainModels.stainAndTissue()))
                .isEqualTo(OnnxModel.sha256(StainModels.stainAndTissue()));
    }
}
