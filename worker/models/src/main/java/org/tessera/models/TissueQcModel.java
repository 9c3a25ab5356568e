package org.tessera.models;

import java.util.List;
import org.tessera.models.classes.QcClass;
import org.tessera.models.onnx.OnnxModel;
import org.tessera.models.onnx.OnnxModel.Attribute;

/**
 * Tissue quality control as an ONNX graph, run on a low-magnification view of the slide. Per pixel it scores
 * background, usable tissue, pen marks (ink colours that no mix of haematoxylin and eosin can produce: they need a
 * negative amount of eosin, which green, blue and black markers do and stained tissue never does), blur (little local high-frequency energy inside tissue) and folds or dark regions
 * (optical density far above single-layer tissue), and gives the winning class.
 *
 * <p>Input {@code rgb}: float32 [N, 3, H, W], 0..255. Outputs {@code qc_scores}: [N, 5, H, W] in 0..1 in the order of
 * {@link QcClass}; {@code qc_class}: int64 [N, 1, H, W], the index of the highest score.
 */
public final class TissueQcModel {

    /**
     * Decision thresholds, in optical-density units unless stated.
     *
     * @param tissueOd total OD above which a pixel is tissue
     * @param penNegativeEosin negative eosin concentration beyond which a pixel is ink
     * @param sharpEnergy local mean of the squared Laplacian of total OD below which tissue is blurred
     * @param darkOd total OD above which tissue is folded or too dark to analyse
     * @param window side of the square window (pixels, odd) over which sharpness is averaged
     */
    public record Parameters(float tissueOd, float penNegativeEosin, float sharpEnergy, float darkOd, int window) {

        public static Parameters defaults() {
            return new Parameters(StainModels.TISSUE_OD_THRESHOLD, 0.08f, 0.004f, 1.6f, 9);
        }
    }

    private TissueQcModel() {}

    public static byte[] build(Parameters p) {
        OnnxModel m = new OnnxModel("tissue_qc")
                .metadata("task", "tissue_qc")
                .metadata(
                        "classes",
                        String.join(
                                ",",
                                java.util.Arrays.stream(QcClass.values())
                                        .map(Enum::name)
                                        .toList()))
                .input("rgb", -1, 3, -1, -1)
                .output("qc_scores", -1, QcClass.values().length, -1, -1)
                .outputInt64("qc_class", -1, 1, -1, -1);

        StainGraph stains = StainGraph.add(m, "rgb");
        String tissue = sigmoid(m, m.op("Sub", List.of(stains.totalOd(), m.scalar(p.tissueOd()))), 45f);
        String background = m.op("Sub", List.of(m.scalar(1f), tissue));

        String negativeEosin = m.op("Neg", List.of(stains.channel(1)));
        String pen = m.op(
                "Mul",
                List.of(tissue, sigmoid(m, m.op("Sub", List.of(negativeEosin, m.scalar(p.penNegativeEosin()))), 30f)));
        String dark = m.op(
                "Mul", List.of(tissue, sigmoid(m, m.op("Sub", List.of(stains.totalOd(), m.scalar(p.darkOd()))), 12f)));

        // Sharpness: mean squared Laplacian of total OD over a window; only meaningful inside tissue.
        float[] laplacian = {0, 1, 0, 1, -4, 1, 0, 1, 0};
        String edges = m.op(
                "Conv",
                List.of(stains.totalOd(), m.constant("laplacian", laplacian, 1, 1, 3, 3)),
                Attribute.ints("pads", 1, 1, 1, 1));
        String energy = m.op(
                "AveragePool",
                List.of(m.op("Mul", List.of(edges, edges))),
                Attribute.ints("kernel_shape", p.window(), p.window()),
                Attribute.ints("pads", p.window() / 2, p.window() / 2, p.window() / 2, p.window() / 2),
                Attribute.integer("count_include_pad", 0));
        // Relative to the threshold so that the slope works whatever its magnitude.
        String relativeSharpness = m.op("Div", List.of(energy, m.scalar(p.sharpEnergy())));
        String unsharp = sigmoid(m, m.op("Sub", List.of(m.scalar(1f), relativeSharpness)), 8f);
        // Ink and folds are flat too; blur is only what is left of smooth tissue once they are accounted for.
        String blur = m.op("Mul", List.of(m.op("Mul", List.of(tissue, unsharp)), notEither(m, pen, dark)));

        // Usable tissue is tissue that is none of the artefacts.
        String clean = tissue;
        for (String artefact : List.of(pen, blur, dark)) {
            clean = m.op("Mul", List.of(clean, m.op("Sub", List.of(m.scalar(1f), artefact))));
        }
        m.node(
                "Concat",
                List.of(background, clean, pen, blur, dark),
                List.of("qc_scores"),
                Attribute.integer("axis", 1));
        m.node(
                "ArgMax",
                List.of("qc_scores"),
                List.of("qc_class"),
                Attribute.integer("axis", 1),
                Attribute.integer("keepdims", 1));
        return m.toBytes();
    }

    private static String notEither(OnnxModel m, String a, String b) {
        return m.op("Mul", List.of(m.op("Sub", List.of(m.scalar(1f), a)), m.op("Sub", List.of(m.scalar(1f), b))));
    }

    private static String sigmoid(OnnxModel m, String x, float slope) {
        return m.op("Sigmoid", List.of(m.op("Mul", List.of(x, m.scalar(slope)))));
    }
}
