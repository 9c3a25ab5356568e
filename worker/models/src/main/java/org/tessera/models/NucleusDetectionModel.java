package org.tessera.models;

import java.util.List;
import org.tessera.models.onnx.OnnxModel;
import org.tessera.models.onnx.OnnxModel.Attribute;

/**
 * Nucleus detection on the haematoxylin channel as an ONNX graph, run at about {@link #ANALYSIS_MPP} µm per pixel, in
 * the spirit of QuPath's classic watershed cell detection: colour deconvolution, Gaussian smoothing at nucleus scale,
 * seeds where the smoothed haematoxylin is a local maximum (a MaxPool equal to the value itself) that is dark enough
 * in absolute terms and against its neighbourhood. Polygons and classes come from Java post-processing
 * ({@code org.tessera.models.cells.CellExtractor}) on the seeds and the lightly smoothed stain maps.
 *
 * <p>Input {@code rgb}: float32 [N, 3, H, W], 0..255. Outputs {@code seeds}: [N, 1, H, W], 1 at a nucleus centre
 * else 0; {@code stains}: [N, 2, H, W] haematoxylin and eosin, lightly smoothed.
 */
public final class NucleusDetectionModel {

    public static final double ANALYSIS_MPP = 0.5;

    /**
     * @param sigmaUm smoothing before peak search, µm
     * @param peakRadiusUm two seeds are at least this far apart, µm
     * @param minHaematoxylin smoothed haematoxylin a seed needs (OD units)
     * @param minContrast how far above the mean of its 20 µm neighbourhood a seed must be
     */
    public record Parameters(double sigmaUm, double peakRadiusUm, float minHaematoxylin, float minContrast) {
        public static Parameters defaults() {
            return new Parameters(2.5, 3.0, 0.3f, 0.08f);
        }
    }

    private NucleusDetectionModel() {}

    public static byte[] build(Parameters p) {
        return build(p, true);
    }

    /** {@code separable = false} builds the square-window pools this model had first; tests compare the two. */
    static byte[] build(Parameters p, boolean separable) {
        OnnxModel m = new OnnxModel("nucleus_detection")
                .metadata("task", "cell_classification")
                .metadata("analysis_mpp", String.valueOf(ANALYSIS_MPP))
                .input("rgb", -1, 3, -1, -1)
                .output("seeds", -1, 1, -1, -1)
                .output("stains", -1, 2, -1, -1);
        StainGraph stains = StainGraph.add(m, "rgb");
        String h = stains.channel(0);
        String e = stains.channel(1);
        String response = Filters.gaussian(m, h, p.sigmaUm() / ANALYSIS_MPP);
        int window = 2 * (int) Math.round(p.peakRadiusUm() / ANALYSIS_MPP) + 1;
        String isPeak = m.op(
                "Equal",
                List.of(
                        separable ? Filters.separableMax(m, response, window) : Filters.max(m, response, window),
                        response));
        String dark = m.op("Greater", List.of(response, m.scalar(p.minHaematoxylin())));
        int neighbourhood = 2 * (int) Math.round(10 / ANALYSIS_MPP) + 1;
        String contrast = m.op(
                "Sub",
                List.of(
                        response,
                        separable ? Filters.separableMean(m, h, neighbourhood) : Filters.mean(m, h, neighbourhood)));
        String distinct = m.op("Greater", List.of(contrast, m.scalar(p.minContrast())));
        String seed = m.op("And", List.of(m.op("And", List.of(isPeak, dark)), distinct));
        m.node("Cast", List.of(seed), List.of("seeds"), Attribute.integer("to", 1));
        String hs = Filters.gaussian(m, h, 0.5 / ANALYSIS_MPP);
        String es = Filters.gaussian(m, e, 0.5 / ANALYSIS_MPP);
        m.node("Concat", List.of(hs, es), List.of("stains"), Attribute.integer("axis", 1));
        return m.toBytes();
    }
}
