package org.tessera.models;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tessera.models.classes.TissueClass;
import org.tessera.models.onnx.OnnxModel;
import org.tessera.models.onnx.OnnxModel.Attribute;

/**
 * Tissue segmentation as an ONNX graph, run at about {@link #ANALYSIS_MPP} µm per pixel: colour deconvolution, then
 * stain and texture features per pixel (haematoxylin and eosin means over a 10 µm and a 30 µm window, their local
 * variance, a nuclear-density proxy from the local maxima of haematoxylin, total optical density) and a linear
 * classifier over them as a 1×1 convolution, followed by softmax and arg-max.
 *
 * <p>The classifier's weights are fitted by multinomial logistic regression ({@link LogisticRegression}) on features
 * of generated slides against their ground truth; {@link TissueSegmentationWeights} holds the result, and
 * {@code TissueSegmentationTrainer} (test sources) reproduces it.
 *
 * <p>Input {@code rgb}: float32 [N, 3, H, W], 0..255. Outputs {@code segmentation_scores}: [N, 5, H, W] class
 * probabilities in the order of {@link TissueClass}; {@code segmentation_class}: int64 [N, 1, H, W].
 */
public final class TissueSegmentationModel {

    /** Micrometres per pixel the features were designed and fitted for. */
    public static final double ANALYSIS_MPP = 2.0;

    /** Window (pixels) over which the class logits are averaged before the decision. */
    static final int SMOOTHING = 7;

    /** Names of the feature channels, in order. */
    public static final List<String> FEATURES =
            List.copyOf(features(new OnnxModel("names")).keySet());

    private TissueSegmentationModel() {}

    /** The graph up to the features, output {@code features} [N, F, H, W]: what the classifier is fitted on. */
    public static byte[] featureModel() {
        OnnxModel m = new OnnxModel("tissue_segmentation_features")
                .input("rgb", -1, 3, -1, -1)
                .output("features", -1, FEATURES.size(), -1, -1);
        m.node("Concat", List.copyOf(features(m).values()), List.of("features"), Attribute.integer("axis", 1));
        return m.toBytes();
    }

    public static byte[] build(Mlp.Weights w) {
        int classes = TissueClass.values().length;
        if (w.features() != FEATURES.size() || w.classes() != classes) {
            throw new IllegalArgumentException("the classifier must take " + FEATURES.size() + " features to " + classes
                    + " classes, not " + w.features() + " to " + w.classes());
        }
        OnnxModel m = new OnnxModel("tissue_segmentation")
                .metadata("task", "tissue_segmentation")
                .metadata("analysis_mpp", String.valueOf(ANALYSIS_MPP))
                .metadata(
                        "classes",
                        String.join(
                                ",",
                                Arrays.stream(TissueClass.values())
                                        .map(Enum::name)
                                        .toList()))
                .input("rgb", -1, 3, -1, -1)
                .output("segmentation_scores", -1, TissueClass.values().length, -1, -1)
                .outputInt64("segmentation_class", -1, 1, -1, -1);
        String features = m.op("Concat", List.copyOf(features(m).values()), Attribute.integer("axis", 1));
        String hidden = m.op(
                "Relu",
                List.of(m.op(
                        "Conv",
                        List.of(
                                features,
                                m.constant("hidden_w", w.w1(), w.hidden(), FEATURES.size(), 1, 1),
                                m.constant("hidden_b", w.b1(), w.hidden())))));
        String logits = m.op(
                "Conv",
                List.of(
                        hidden,
                        m.constant("classifier_w", w.w2(), classes, w.hidden(), 1, 1),
                        m.constant("classifier_b", w.b2(), classes)));
        // Class patches are hundreds of micrometres across: averaging the evidence over 14 µm removes speckle.
        String smoothed = Filters.mean(m, logits, SMOOTHING);
        m.node("Softmax", List.of(smoothed), List.of("segmentation_scores"), Attribute.integer("axis", 1));
        m.node(
                "ArgMax",
                List.of(smoothed),
                List.of("segmentation_class"),
                Attribute.integer("axis", 1),
                Attribute.integer("keepdims", 1));
        return m.toBytes();
    }

    private static Map<String, String> features(OnnxModel m) {
        StainGraph stains = StainGraph.add(m, "rgb");
        String h = stains.channel(0);
        String e = stains.channel(1);
        String od = stains.totalOd();
        // Windows in pixels at ANALYSIS_MPP: 5 px = 10 µm (a few nuclei), 15 px = 30 µm (a tissue neighbourhood),
        // 31 px = 60 µm.
        Map<String, String> out = new LinkedHashMap<>();
        String h5 = Filters.mean(m, h, 5);
        String e5 = Filters.mean(m, e, 5);
        String h15 = Filters.mean(m, h, 15);
        String e15 = Filters.mean(m, e, 15);
        String od15 = Filters.mean(m, od, 15);
        out.put("h_mean_10um", h5);
        out.put("e_mean_10um", e5);
        out.put("h_mean_30um", h15);
        out.put("e_mean_30um", e15);
        out.put("h_var_30um", variance(m, h, h15, 15));
        out.put("od_mean_10um", Filters.mean(m, od, 5));
        out.put("od_mean_30um", od15);
        out.put("e_var_30um", variance(m, e, e15, 15));
        // The haematoxylin floor (a local minimum) is the stain between nuclei: high in epithelium, low in stroma
        // however many lymphocytes crowd it.
        String floor = Filters.min(m, h, 5);
        out.put("h_floor_30um", Filters.mean(m, floor, 15));
        String h31 = Filters.mean(m, h, 31);
        String e31 = Filters.mean(m, e, 31);
        out.put("h_mean_60um", h31);
        out.put("e_mean_60um", e31);
        out.put("h_floor_60um", Filters.mean(m, floor, 31));
        out.put("e_var_60um", variance(m, e, e31, 31));
        // Ratios and relative measures carry across staining strength.
        out.put("e_share_30um", ratio(m, e15, m.op("Add", List.of(h15, e15)), 0.05f));
        out.put("h_share_30um", ratio(m, h15, od15, 0.05f));
        // Empty space (fat, loose tissue): the local minimum of the optical density, absolute and relative.
        String odFloor = Filters.mean(m, Filters.min(m, od, 5), 15);
        out.put("od_floor_30um", odFloor);
        out.put("od_floor_share_30um", ratio(m, odFloor, od15, 0.02f));
        // Nuclei as blobs of haematoxylin at their own scale (6 µm) standing out of their neighbourhood: their count
        // and their strength. Specks much smaller than a nucleus (debris, dust) hardly move a 6 µm mean.
        String blob = Filters.mean(m, h, 3);
        String lift = m.op("Sub", List.of(blob, h15));
        String peak = m.op(
                "Cast",
                List.of(m.op(
                        "And",
                        List.of(
                                m.op("Equal", List.of(blob, Filters.max(m, blob, 5))),
                                m.op("Greater", List.of(lift, m.scalar(0.12f)))))),
                Attribute.integer("to", 1));
        out.put("nuclei_30um", Filters.mean(m, peak, 15));
        out.put("nuclei_60um", Filters.mean(m, peak, 31));
        out.put("nuclear_lift_30um", Filters.mean(m, m.op("Relu", List.of(lift)), 15));
        // Fibres: coherence of the eosin gradient's orientation (structure tensor), 1 along parallel streaks, 0 where
        // the texture is isotropic (necrotic grain, cell sheets).
        String gx = gradient(m, e, true);
        String gy = gradient(m, e, false);
        String jxx = m.op("Mul", List.of(gx, gx));
        String jyy = m.op("Mul", List.of(gy, gy));
        String jxy = m.op("Mul", List.of(gx, gy));
        out.put("e_coherence_10um", coherence(m, jxx, jyy, jxy, 5));
        out.put("e_coherence_30um", coherence(m, jxx, jyy, jxy, 15));
        return out;
    }

    /** Local variance over a k × k window, from the window's mean. */
    private static String variance(OnnxModel m, String x, String mean, int k) {
        return m.op("Sub", List.of(Filters.mean(m, Filters.square(m, x), k), Filters.square(m, mean)));
    }

    /** {@code a / (b + eps)}. */
    private static String ratio(OnnxModel m, String a, String b, float eps) {
        return m.op("Div", List.of(a, m.op("Add", List.of(b, m.scalar(eps)))));
    }

    /** Central difference along x (columns) or y (rows). */
    private static String gradient(OnnxModel m, String x, boolean alongX) {
        String kernel = alongX
                ? m.constant("grad_x_" + x, new float[] {-0.5f, 0, 0.5f}, 1, 1, 1, 3)
                : m.constant("grad_y_" + x, new float[] {-0.5f, 0, 0.5f}, 1, 1, 3, 1);
        return m.op(
                "Conv",
                List.of(x, kernel),
                Attribute.ints("pads", alongX ? 0 : 1, alongX ? 1 : 0, alongX ? 0 : 1, alongX ? 1 : 0));
    }

    /** ((Jxx − Jyy)² + 4 Jxy²) / (Jxx + Jyy)², the tensor averaged over k × k. */
    private static String coherence(OnnxModel m, String jxx, String jyy, String jxy, int k) {
        String xx = Filters.mean(m, jxx, k);
        String yy = Filters.mean(m, jyy, k);
        String xy = Filters.mean(m, jxy, k);
        String diff = m.op("Sub", List.of(xx, yy));
        String num = m.op(
                "Add", List.of(Filters.square(m, diff), m.op("Mul", List.of(m.scalar(4f), Filters.square(m, xy)))));
        String trace = m.op("Sum", List.of(xx, yy, m.scalar(1e-5f)));
        return m.op("Div", List.of(num, Filters.square(m, trace)));
    }
}
