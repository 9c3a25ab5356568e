package org.tessera.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
    public static final List<String> FEATURES = List.of(
            "h_mean_10um",
            "e_mean_10um",
            "h_mean_30um",
            "e_mean_30um",
            "h_var_10um",
            "e_var_10um",
            "h_peaks_30um",
            "od_mean_10um",
            "od_mean_30um",
            "e_var_30um",
            "h_var_30um",
            "h_floor_30um",
            "h_mean_60um",
            "e_mean_60um",
            "h_floor_60um",
            "e_var_60um");

    /**
     * A linear classifier over {@link #FEATURES}: {@code logit[c] = bias[c] + Σ weights[c][f] · feature[f]}.
     *
     * @param weights [class][feature], row-major
     * @param bias one per class
     */
    public record Weights(float[] weights, float[] bias) {
        public Weights {
            int classes = TissueClass.values().length;
            if (weights.length != classes * FEATURES.size() || bias.length != classes) {
                throw new IllegalArgumentException("need " + classes + "x" + FEATURES.size() + " weights and " + classes
                        + " biases, got " + weights.length + " and " + bias.length);
            }
            weights = weights.clone();
            bias = bias.clone();
        }
    }

    private TissueSegmentationModel() {}

    /** The graph up to the features, output {@code features} [N, F, H, W]: what the classifier is fitted on. */
    public static byte[] featureModel() {
        OnnxModel m = new OnnxModel("tissue_segmentation_features")
                .input("rgb", -1, 3, -1, -1)
                .output("features", -1, FEATURES.size(), -1, -1);
        m.node("Concat", features(m), List.of("features"), Attribute.integer("axis", 1));
        return m.toBytes();
    }

    public static byte[] build(Weights w) {
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
        String features = m.op("Concat", features(m), Attribute.integer("axis", 1));
        int classes = TissueClass.values().length;
        String logits = m.op(
                "Conv",
                List.of(
                        features,
                        m.constant("classifier_w", w.weights(), classes, FEATURES.size(), 1, 1),
                        m.constant("classifier_b", w.bias(), classes)));
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

    private static List<String> features(OnnxModel m) {
        StainGraph stains = StainGraph.add(m, "rgb");
        String h = stains.channel(0);
        String e = stains.channel(1);
        String od = stains.totalOd();
        // Windows in pixels at ANALYSIS_MPP: 5 px = 10 µm (a few nuclei), 15 px = 30 µm (a tissue neighbourhood).
        List<String> out = new ArrayList<>();
        String h5 = Filters.mean(m, h, 5);
        String e5 = Filters.mean(m, e, 5);
        String h15 = Filters.mean(m, h, 15);
        String e15 = Filters.mean(m, e, 15);
        out.add(h5);
        out.add(e5);
        out.add(h15);
        out.add(e15);
        out.add(m.op("Sub", List.of(Filters.mean(m, Filters.square(m, h), 5), Filters.square(m, h5))));
        out.add(m.op("Sub", List.of(Filters.mean(m, Filters.square(m, e), 5), Filters.square(m, e5))));
        // Nuclei are haematoxylin maxima a few pixels wide: the mean of the 3x3 maximum counts them without
        // needing them resolved.
        out.add(Filters.mean(m, Filters.max(m, h, 3), 15));
        out.add(Filters.mean(m, od, 5));
        out.add(Filters.mean(m, od, 15));
        out.add(m.op("Sub", List.of(Filters.mean(m, Filters.square(m, e), 15), Filters.square(m, e15))));
        out.add(m.op("Sub", List.of(Filters.mean(m, Filters.square(m, h), 15), Filters.square(m, h15))));
        // The haematoxylin floor (a local minimum) is the stain between nuclei: high in epithelium, low in stroma
        // however many lymphocytes crowd it.
        String floor = m.op("Neg", List.of(Filters.max(m, m.op("Neg", List.of(h)), 5)));
        out.add(Filters.mean(m, floor, 15));
        String h31 = Filters.mean(m, h, 31);
        out.add(h31);
        String e31 = Filters.mean(m, e, 31);
        out.add(e31);
        out.add(Filters.mean(m, floor, 31));
        out.add(m.op("Sub", List.of(Filters.mean(m, Filters.square(m, e), 31), Filters.square(m, e31))));
        return out;
    }
}
