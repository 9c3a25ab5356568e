package org.tessera.models;

import java.util.List;
import org.tessera.models.onnx.OnnxModel;
import org.tessera.models.onnx.OnnxModel.Attribute;

/** Small graph pieces shared by the models: pooling with edge-aware means, separable Gaussian smoothing. */
final class Filters {

    private Filters() {}

    /** Mean over a {@code k × k} window (k odd); at the edges only the pixels inside the image count. */
    static String mean(OnnxModel m, String x, int k) {
        return m.op(
                "AveragePool",
                List.of(x),
                Attribute.ints("kernel_shape", k, k),
                Attribute.ints("pads", k / 2, k / 2, k / 2, k / 2),
                Attribute.integer("count_include_pad", 0));
    }

    /** Maximum over a {@code k × k} window (k odd), same size out. */
    static String max(OnnxModel m, String x, int k) {
        return m.op(
                "MaxPool",
                List.of(x),
                Attribute.ints("kernel_shape", k, k),
                Attribute.ints("pads", k / 2, k / 2, k / 2, k / 2));
    }

    /**
     * {@link #mean} as a {@code 1 × k} then a {@code k × 1} pool: 2k instead of k² additions per pixel, and the same
     * numbers up to rounding, since a window cut by the border holds the same count of pixels in each of its rows.
     */
    static String separableMean(OnnxModel m, String x, int k) {
        String rows = m.op(
                "AveragePool",
                List.of(x),
                Attribute.ints("kernel_shape", 1, k),
                Attribute.ints("pads", 0, k / 2, 0, k / 2),
                Attribute.integer("count_include_pad", 0));
        return m.op(
                "AveragePool",
                List.of(rows),
                Attribute.ints("kernel_shape", k, 1),
                Attribute.ints("pads", k / 2, 0, k / 2, 0),
                Attribute.integer("count_include_pad", 0));
    }

    /** {@link #max} as a {@code 1 × k} then a {@code k × 1} pool: exactly the same values. */
    static String separableMax(OnnxModel m, String x, int k) {
        String rows = m.op(
                "MaxPool",
                List.of(x),
                Attribute.ints("kernel_shape", 1, k),
                Attribute.ints("pads", 0, k / 2, 0, k / 2));
        return m.op(
                "MaxPool",
                List.of(rows),
                Attribute.ints("kernel_shape", k, 1),
                Attribute.ints("pads", k / 2, 0, k / 2, 0));
    }

    /** Minimum over a {@code k × k} window (k odd), same size out, as two 1-D pools. */
    static String separableMin(OnnxModel m, String x, int k) {
        return m.op("Neg", List.of(separableMax(m, m.op("Neg", List.of(x)), k)));
    }

    /**
     * Gaussian smoothing of a one-channel tensor as two 1-D convolutions (rows, then columns): 2k instead of k² taps.
     * Zero padding darkens the border by less than the tile overlap the pipeline discards.
     */
    static String gaussian(OnnxModel m, String x, double sigma) {
        int radius = Math.max(1, (int) Math.ceil(3 * sigma));
        float[] kernel = new float[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            kernel[i + radius] = (float) Math.exp(-i * i / (2 * sigma * sigma));
            sum += kernel[i + radius];
        }
        for (int i = 0; i < kernel.length; i++) {
            kernel[i] = (float) (kernel[i] / sum);
        }
        String name = m.constant("gauss_" + x + "_" + sigma, kernel, 1, 1, 1, kernel.length);
        String nameT = m.constant("gauss_t_" + x + "_" + sigma, kernel, 1, 1, kernel.length, 1);
        String rows = m.op("Conv", List.of(x, name), Attribute.ints("pads", 0, radius, 0, radius));
        return m.op("Conv", List.of(rows, nameT), Attribute.ints("pads", radius, 0, radius, 0));
    }

    static String square(OnnxModel m, String x) {
        return m.op("Mul", List.of(x, x));
    }
}
