package org.tessera.models;

import java.util.List;
import org.tessera.models.onnx.OnnxModel;

/**
 * The stain-separation front end shared by the models: RGB (0..255) → optical density → H, E and residual
 * concentrations, plus the total optical density.
 *
 * @param stains tensor [N, 3, H, W]: haematoxylin, eosin, residual
 * @param totalOd tensor [N, 1, H, W]: sum of the RGB optical densities
 */
record StainGraph(String stains, String totalOd, OnnxModel model) {

    static StainGraph add(OnnxModel m, String rgb) {
        // OD = -log10((I + 1) / 256): +1 keeps log finite on black pixels.
        String transmitted = m.op("Div", List.of(m.op("Add", List.of(rgb, m.scalar(1f))), m.scalar(256f)));
        String od = m.op("Mul", List.of(m.op("Log", List.of(transmitted)), m.scalar((float) (-1 / Math.log(10)))));
        String stains =
                m.op("Conv", List.of(od, m.constant("deconvolution", StainModels.deconvolutionWeights(), 3, 3, 1, 1)));
        String total = m.op("Conv", List.of(od, m.constant("od_sum", new float[] {1, 1, 1}, 1, 3, 1, 1)));
        return new StainGraph(stains, total, m);
    }

    /** One stain channel as [N, 1, H, W]: 0 = haematoxylin, 1 = eosin, 2 = residual. */
    String channel(int index) {
        return model.op(
                "Slice",
                List.of(
                        stains,
                        model.int64Constant("slice_start_" + index + "_" + stains, new long[] {index}, 1),
                        model.int64Constant("slice_end_" + index + "_" + stains, new long[] {index + 1}, 1),
                        model.int64Constant("slice_axis_" + index + "_" + stains, new long[] {1}, 1)));
    }
}
