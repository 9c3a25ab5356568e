package org.tessera.models;

import java.util.List;
import org.tessera.models.onnx.OnnxModel;

/**
 * Stain separation and tissue detection as an ONNX graph: RGB → optical density (Beer–Lambert) → colour
 * deconvolution into haematoxylin, eosin and residual channels (a 1×1 convolution by the inverse stain matrix) →
 * a tissue probability from the total optical density.
 *
 * <p>Input {@code rgb}: float32 [N, 3, H, W] with values 0..255. Outputs {@code stains}: [N, 3, H, W] stain
 * concentrations (optical density units), {@code tissue}: [N, 1, H, W] in 0..1.
 */
public final class StainModels {

    /** Ruifrok & Johnston's H&E stain vectors (RGB optical density per unit stain), and their cross product. */
    static final double[][] HE_STAINS = {{0.650, 0.704, 0.286}, {0.072, 0.990, 0.105}};

    /** Total optical density above which a pixel counts as tissue; glass and white background stay well below. */
    public static final float TISSUE_OD_THRESHOLD = 0.18f;

    /** Steepness of the sigmoid around the threshold: ±0.05 OD moves the probability to about 0.1 / 0.9. */
    static final float TISSUE_SLOPE = 45f;

    private StainModels() {}

    public static byte[] stainAndTissue() {
        OnnxModel model = new OnnxModel("stain_and_tissue")
                .metadata("task", "tissue_qc")
                .metadata("input", "rgb float32 [N,3,H,W] 0..255")
                .input("rgb", -1, 3, -1, -1)
                .output("stains", -1, 3, -1, -1)
                .output("tissue", -1, 1, -1, -1);

        StainGraph stains = StainGraph.add(model, "rgb");
        model.node("Identity", List.of(stains.stains()), List.of("stains"));
        String total = stains.totalOd();
        String centred = model.op("Sub", List.of(total, model.scalar(TISSUE_OD_THRESHOLD)));
        String scaled = model.op("Mul", List.of(centred, model.scalar(TISSUE_SLOPE)));
        model.node("Sigmoid", List.of(scaled), List.of("tissue"));
        return model.toBytes();
    }

    /** Weights of the 1×1 convolution from optical density to stain concentrations, [stain][rgb]. */
    static float[] deconvolutionWeights() {
        return toFloat(invert(stainMatrix()));
    }

    /** Rows: H, E, residual (unit vectors); the residual is orthogonal to both stains. */
    static double[][] stainMatrix() {
        double[] h = normalize(HE_STAINS[0]);
        double[] e = normalize(HE_STAINS[1]);
        double[] r = normalize(
                new double[] {h[1] * e[2] - h[2] * e[1], h[2] * e[0] - h[0] * e[2], h[0] * e[1] - h[1] * e[0]});
        return new double[][] {h, e, r};
    }

    /**
     * Conv weights [out=stain][in=rgb]: with OD = C · M (C stain concentrations, M rows = stain vectors),
     * C = OD · M⁻¹, so stain s is the dot product of OD with column s of M⁻¹.
     */
    static double[][] invert(double[][] m) {
        double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
                - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
        double[][] inv = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double[][] minor = new double[2][2];
                for (int r = 0, mr = 0; r < 3; r++) {
                    if (r == j) {
                        continue;
                    }
                    for (int c = 0, mc = 0; c < 3; c++) {
                        if (c != i) {
                            minor[mr][mc++] = m[r][c];
                        }
                    }
                    mr++;
                }
                double cofactor = minor[0][0] * minor[1][1] - minor[0][1] * minor[1][0];
                inv[i][j] = ((i + j) % 2 == 0 ? 1 : -1) * cofactor / det;
            }
        }
        // inv is M⁻¹ (rows = rgb, columns = stains); the conv wants [stain][rgb].
        double[][] weights = new double[3][3];
        for (int s = 0; s < 3; s++) {
            for (int c = 0; c < 3; c++) {
                weights[s][c] = inv[c][s];
            }
        }
        return weights;
    }

    private static double[] normalize(double[] v) {
        double n = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        return new double[] {v[0] / n, v[1] / n, v[2] / n};
    }

    private static float[] toFloat(double[][] m) {
        float[] out = new float[9];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                out[i * 3 + j] = (float) m[i][j];
            }
        }
        return out;
    }
}
