package org.tessera.models;

import java.util.ArrayList;
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
        // The two 1×1 convolutions as matrix products over [N, F, H·W]: the same sums, without the blocked-layout
        // copies ONNX Runtime makes around a convolution.
        String shape = m.op("Shape", List.of(features));
        String flat = m.op(
                "Reshape", List.of(features, m.int64Constant("flat_shape", new long[] {0, FEATURES.size(), -1}, 3)));
        String hidden = m.op(
                "Relu",
                List.of(m.op(
                        "Add",
                        List.of(
                                m.op(
                                        "MatMul",
                                        List.of(m.constant("hidden_w", w.w1(), w.hidden(), FEATURES.size()), flat)),
                                m.constant("hidden_b", w.b1(), w.hidden(), 1)))));
        String flatLogits = m.op(
                "Add",
                List.of(
                        m.op("MatMul", List.of(m.constant("classifier_w", w.w2(), classes, w.hidden()), hidden)),
                        m.constant("classifier_b", w.b2(), classes, 1)));
        String logitsShape = m.op(
                "Concat",
                List.of(
                        m.op(
                                "Slice",
                                List.of(
                                        shape,
                                        m.int64Constant("n_from", new long[] {0}, 1),
                                        m.int64Constant("n_to", new long[] {1}, 1))),
                        m.int64Constant("class_count", new long[] {classes}, 1),
                        m.op(
                                "Slice",
                                List.of(
                                        shape,
                                        m.int64Constant("hw_from", new long[] {2}, 1),
                                        m.int64Constant("hw_to", new long[] {4}, 1)))),
                Attribute.integer("axis", 0));
        String logits = m.op("Reshape", List.of(flatLogits, logitsShape));
        // Class patches are hundreds of micrometres across: averaging the evidence over 14 µm removes speckle.
        String smoothed = Filters.separableMean(m, logits, SMOOTHING);
        // Softmax over the class axis, spelled out: ONNX Runtime's Softmax on axis 1 of NCHW transposes the tensor
        // there and back, which cost more than the rest of the classifier.
        String shifted = m.op(
                "Sub",
                List.of(
                        smoothed,
                        m.op(
                                "ReduceMax",
                                List.of(smoothed),
                                Attribute.ints("axes", 1),
                                Attribute.integer("keepdims", 1))));
        String exp = m.op("Exp", List.of(shifted));
        String total = m.op(
                "ReduceSum",
                List.of(exp, m.int64Constant("class_axis", new long[] {1}, 1)),
                Attribute.integer("keepdims", 1));
        m.node("Div", List.of(exp, total), List.of("segmentation_scores"));
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
        // 31 px = 60 µm. Maps that need a mean over the same window are stacked and pooled together: the same numbers
        // as one pool each, in a fraction of the graph's nodes.
        String hh = Filters.square(m, h);
        String ee = Filters.square(m, e);
        // The haematoxylin floor (a local minimum) is the stain between nuclei: high in epithelium, low in stroma
        // however many lymphocytes crowd it; the optical-density floor finds empty space (fat, loose tissue).
        List<String> floors = split(m, Filters.separableMin(m, concat(m, h, od), 5), 2);
        String floor = floors.get(0);
        String odMin = floors.get(1);
        // Fibres: the eosin gradient's structure tensor.
        String gx = gradient(m, e, true);
        String gy = gradient(m, e, false);
        String jxx = m.op("Mul", List.of(gx, gx));
        String jyy = m.op("Mul", List.of(gy, gy));
        String jxy = m.op("Mul", List.of(gx, gy));
        List<String> w5 = split(m, Filters.separableMean(m, concat(m, h, e, od, jxx, jyy, jxy), 5), 6);
        List<String> w15 =
                split(m, Filters.separableMean(m, concat(m, h, e, od, hh, ee, floor, odMin, jxx, jyy, jxy), 15), 10);
        String h15 = w15.get(0);
        String e15 = w15.get(1);
        String od15 = w15.get(2);
        // Nuclei as blobs of haematoxylin at their own scale (6 µm) standing out of their 30 µm neighbourhood. Specks
        // much smaller than a nucleus (debris, dust) hardly move a 6 µm mean.
        String blob = Filters.separableMean(m, h, 3);
        String lift = m.op("Sub", List.of(blob, h15));
        String peak = m.op(
                "Cast",
                List.of(m.op(
                        "And",
                        List.of(
                                m.op("Equal", List.of(blob, Filters.separableMax(m, blob, 5))),
                                m.op("Greater", List.of(lift, m.scalar(0.12f)))))),
                Attribute.integer("to", 1));
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
        List<String> nuclei15 =
                split(m, Filters.separableMean(m, concat(m, peak, m.op("Relu", List.of(lift)), inNucleus), 15), 3);
        List<String> w31 = split(m, Filters.separableMean(m, concat(m, h, e, floor, ee, peak, inNucleus), 31), 6);

        Map<String, String> out = new LinkedHashMap<>();
        out.put("h_mean_10um", w5.get(0));
        out.put("e_mean_10um", w5.get(1));
        out.put("h_mean_30um", h15);
        out.put("e_mean_30um", e15);
        String hVar = variance(m, w15.get(3), h15);
        String eVar = variance(m, w15.get(4), e15);
        out.put("h_var_30um", hVar);
        out.put("od_mean_10um", w5.get(2));
        out.put("od_mean_30um", od15);
        out.put("e_var_30um", eVar);
        out.put("h_floor_30um", w15.get(5));
        out.put("h_mean_60um", w31.get(0));
        out.put("e_mean_60um", w31.get(1));
        out.put("h_floor_60um", w31.get(2));
        out.put("e_var_60um", variance(m, w31.get(3), w31.get(1)));
        out.put("od_floor_30um", w15.get(6));
        out.put("od_floor_share_30um", ratio(m, w15.get(6), od15, 0.02f));
        out.put("nuclei_30um", nuclei15.get(0));
        out.put("nuclei_60um", w31.get(4));
        out.put("nuclear_lift_30um", nuclei15.get(1));
        out.put("nuclear_area_30um", nuclei15.get(2));
        out.put("nuclear_area_60um", w31.get(5));
        // Texture relative to the stain's own level (coefficient of variation).
        out.put("h_cv_30um", ratio(m, m.op("Sqrt", List.of(m.op("Relu", List.of(hVar)))), h15, 0.02f));
        out.put("e_cv_30um", ratio(m, m.op("Sqrt", List.of(m.op("Relu", List.of(eVar)))), e15, 0.02f));
        // Coherence of the eosin gradient's orientation: 1 along parallel streaks, 0 where the texture is isotropic
        // (necrotic grain, cell sheets).
        out.put("e_coherence_10um", coherence(m, w5.get(3), w5.get(4), w5.get(5)));
        out.put("e_coherence_30um", coherence(m, w15.get(7), w15.get(8), w15.get(9)));
        return out;
    }

    private static String concat(OnnxModel m, String... channels) {
        return m.op("Concat", List.of(channels), Attribute.integer("axis", 1));
    }

    /** One-channel tensors out of a stack of {@code n}. */
    private static List<String> split(OnnxModel m, String stack, int n) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            parts.add(stack + "_" + i);
        }
        m.node("Split", List.of(stack), parts, Attribute.integer("axis", 1));
        return parts;
    }

    /** Local variance from the window's mean of squares and its mean. */
    private static String variance(OnnxModel m, String meanOfSquares, String mean) {
        return m.op("Sub", List.of(meanOfSquares, Filters.square(m, mean)));
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

    /** ((Jxx − Jyy)² + 4 Jxy²) / (Jxx + Jyy)², from the window's means of the tensor's entries. */
    private static String coherence(OnnxModel m, String xx, String yy, String xy) {
        String diff = m.op("Sub", List.of(xx, yy));
        String num = m.op(
                "Add", List.of(Filters.square(m, diff), m.op("Mul", List.of(m.scalar(4f), Filters.square(m, xy)))));
        String trace = m.op("Sum", List.of(xx, yy, m.scalar(1e-5f)));
        return m.op("Div", List.of(num, Filters.square(m, trace)));
    }
}
