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
 * {@link #FEATURES} per pixel, then a small network over them as two 1×1 convolutions (features → hidden units with
 * ReLU → class logits), the logits averaged over a {@link #SMOOTHING}-pixel square, softmax and arg-max.
 *
 * <p>The features describe a pixel's neighbourhood at 10, 30 and 60 µm: haematoxylin, eosin and optical density means;
 * their variance, also relative to the mean (coefficient of variation); the haematoxylin floor (the stain between
 * nuclei); the optical-density floor and its share of the mean (empty space: fat, loose tissue); nuclei as
 * haematoxylin blobs of about 6 µm standing out of their 30 µm neighbourhood (count, strength, and the share of the
 * neighbourhood inside them by a threshold relative to the neighbourhood's own haematoxylin; specks much smaller than a
 * nucleus, such as necrotic debris, hardly register); and the coherence of the eosin gradient's orientation (structure
 * tensor), high along parallel fibres and low in isotropic texture. Ratios between the two stains are left out on
 * purpose: they follow how a slide's stains were separated more than what the tissue is, and did not carry to the
 * second renderer.
 *
 * <p>The network's weights are fitted by {@code TissueSegmentationTrainer} (test sources; {@code
 * worker/models/refit-tissue-segmentation}) with {@link Mlp}, deterministically, on the primary renderer's slides only,
 * each also seen through colour changes, with each tissue class's stains scaled on their own, and stain-normalized as
 * the worker normalizes; {@link TissueSegmentationWeights} reads the result from the models jar. The second renderer
 * family is kept for measuring how far the model carries (docs/benchmarks.md, "Accuracy across renderers").
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
        // The share of the neighbourhood inside such blobs, by a threshold relative to the neighbourhood's own
        // haematoxylin, so that it holds whatever the staining strength.
        String inNucleus = m.op(
                "Cast",
                List.of(m.op(
                        "Greater",
                        List.of(
                                blob,
                                m.op("Add", List.of(m.op("Mul", List.of(h15, m.scalar(1.4f))), m.scalar(0.03f)))))),
                Attribute.integer("to", 1));
        out.put("nuclear_area_30um", Filters.mean(m, inNucleus, 15));
        out.put("nuclear_area_60um", Filters.mean(m, inNucleus, 31));
        // Texture relative to the stain's own level (coefficient of variation).
        out.put("h_cv_30um", ratio(m, m.op("Sqrt", List.of(m.op("Relu", List.of(out.get("h_var_30um"))))), h15, 0.02f));
        out.put("e_cv_30um", ratio(m, m.op("Sqrt", List.of(m.op("Relu", List.of(out.get("e_var_30um"))))), e15, 0.02f));
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
