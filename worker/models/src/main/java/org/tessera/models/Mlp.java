package org.tessera.models;

import java.util.SplittableRandom;

/**
 * A classifier with one hidden layer (features → hidden units with ReLU → class logits), fitted so that the same data
 * and settings give the same weights bit for bit: features standardized, weights drawn from a seeded
 * {@link SplittableRandom}, mini-batches in a seeded fixed order, Adam for a fixed number of epochs, one thread, double
 * arithmetic with {@link StrictMath} for every transcendental function. The result is expressed in the original
 * feature units (standardization folded into the first layer), ready for two 1×1 convolutions.
 */
public final class Mlp {

    private Mlp() {}

    /**
     * How to fit.
     *
     * @param hidden hidden units
     * @param epochs passes over the data
     * @param batch samples per step
     * @param rate Adam's step size (decays linearly to a tenth over the epochs)
     * @param l2 weight decay on the weights (not the biases), in standardized units
     * @param seed initial weights and sample order
     */
    public record Settings(int hidden, int epochs, int batch, double rate, double l2, long seed) {
        public Settings {
            if (hidden < 1 || epochs < 1 || batch < 1 || !(rate > 0) || !(l2 >= 0)) {
                throw new IllegalArgumentException("hidden, epochs and batch must be positive, rate > 0, l2 >= 0: "
                        + hidden + ", " + epochs + ", " + batch + ", " + rate + ", " + l2);
            }
        }
    }

    /**
     * The fitted network: {@code hidden = relu(w1 · x + b1)}, {@code logits = w2 · hidden + b2}.
     *
     * @param w1 [hidden][features], row-major
     * @param b1 [hidden]
     * @param w2 [classes][hidden], row-major
     * @param b2 [classes]
     */
    public record Weights(float[] w1, float[] b1, float[] w2, float[] b2) {
        public Weights {
            if (b1.length == 0 || b2.length == 0 || w1.length % b1.length != 0 || w2.length != b1.length * b2.length) {
                throw new IllegalArgumentException("inconsistent layer sizes: w1 " + w1.length + ", b1 " + b1.length
                        + ", w2 " + w2.length + ", b2 " + b2.length);
            }
            w1 = w1.clone();
            b1 = b1.clone();
            w2 = w2.clone();
            b2 = b2.clone();
        }

        public int features() {
            return w1.length / b1.length;
        }

        public int hidden() {
            return b1.length;
        }

        public int classes() {
            return b2.length;
        }

        /** Class logits of one sample, in float as the graph computes them (summation order aside). */
        public float[] logits(float[] x) {
            int f = features();
            float[] h = new float[hidden()];
            for (int u = 0; u < h.length; u++) {
                float s = b1[u];
                for (int j = 0; j < f; j++) {
                    s += w1[u * f + j] * x[j];
                }
                h[u] = Math.max(0, s);
            }
            float[] out = new float[classes()];
            for (int c = 0; c < out.length; c++) {
                float s = b2[c];
                for (int u = 0; u < h.length; u++) {
                    s += w2[c * h.length + u] * h[u];
                }
                out[c] = s;
            }
            return out;
        }
    }

    /**
     * @param x samples × features
     * @param y class per sample, 0..classes-1
     * @param classWeight weight of each class's samples (balances rare classes)
     */
    public static Weights fit(double[][] x, int[] y, int classes, double[] classWeight, Settings settings) {
        int n = x.length;
        if (n == 0 || y.length != n) {
            throw new IllegalArgumentException(
                    "need as many labels as samples, and at least one: " + n + ", " + y.length);
        }
        int f = x[0].length;
        int hidden = settings.hidden();
        double[] mean = new double[f];
        double[] scale = new double[f];
        for (double[] row : x) {
            for (int j = 0; j < f; j++) {
                mean[j] += row[j];
            }
        }
        for (int j = 0; j < f; j++) {
            mean[j] /= n;
        }
        for (double[] row : x) {
            for (int j = 0; j < f; j++) {
                scale[j] += (row[j] - mean[j]) * (row[j] - mean[j]);
            }
        }
        boolean[] constant = new boolean[f];
        for (int j = 0; j < f; j++) {
            constant[j] = scale[j] == 0;
            // A feature that never varies carries nothing: it enters as 0 and gets no weight.
            scale[j] = constant[j] ? 1 : Math.sqrt(scale[j] / n);
        }
        double[][] z = new double[n][f];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < f; j++) {
                z[i][j] = constant[j] ? 0 : (x[i][j] - mean[j]) / scale[j];
            }
        }
        SplittableRandom random = new SplittableRandom(settings.seed());
        // Parameters in one array: w1 [hidden][f], b1 [hidden], w2 [classes][hidden], b2 [classes].
        int ow1 = 0;
        int ob1 = hidden * f;
        int ow2 = ob1 + hidden;
        int ob2 = ow2 + classes * hidden;
        int size = ob2 + classes;
        double[] p = new double[size];
        double limit1 = Math.sqrt(6.0 / f);
        for (int i = 0; i < hidden * f; i++) {
            p[ow1 + i] = limit1 * (2 * random.nextDouble() - 1);
        }
        for (int u = 0; u < hidden; u++) {
            p[ob1 + u] = 0.01;
        }
        double limit2 = Math.sqrt(6.0 / (hidden + classes));
        for (int i = 0; i < classes * hidden; i++) {
            p[ow2 + i] = limit2 * (2 * random.nextDouble() - 1);
        }
        double meanWeight = 0;
        for (int label : y) {
            meanWeight += classWeight[label];
        }
        meanWeight /= n;
        double[] m1 = new double[size];
        double[] m2 = new double[size];
        double[] grad = new double[size];
        double[] h = new double[hidden];
        double[] out = new double[classes];
        double[] dh = new double[hidden];
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        double beta1 = 0.9;
        double beta2 = 0.999;
        long t = 0;
        int stepsPerEpoch = (n + settings.batch() - 1) / settings.batch();
        long totalSteps = (long) stepsPerEpoch * settings.epochs();
        for (int epoch = 0; epoch < settings.epochs(); epoch++) {
            for (int i = n - 1; i > 0; i--) {
                int k = random.nextInt(i + 1);
                int swap = order[i];
                order[i] = order[k];
                order[k] = swap;
            }
            for (int start = 0; start < n; start += settings.batch()) {
                int end = Math.min(n, start + settings.batch());
                java.util.Arrays.fill(grad, 0);
                double batchWeight = 0;
                for (int b = start; b < end; b++) {
                    int i = order[b];
                    double[] zi = z[i];
                    for (int u = 0; u < hidden; u++) {
                        double s = p[ob1 + u];
                        int row = ow1 + u * f;
                        for (int j = 0; j < f; j++) {
                            s += p[row + j] * zi[j];
                        }
                        h[u] = s > 0 ? s : 0;
                    }
                    double max = Double.NEGATIVE_INFINITY;
                    for (int c = 0; c < classes; c++) {
                        double s = p[ob2 + c];
                        int row = ow2 + c * hidden;
                        for (int u = 0; u < hidden; u++) {
                            s += p[row + u] * h[u];
                        }
                        out[c] = s;
                        max = Math.max(max, s);
                    }
                    double sum = 0;
                    for (int c = 0; c < classes; c++) {
                        out[c] = StrictMath.exp(out[c] - max);
                        sum += out[c];
                    }
                    double sw = classWeight[y[i]] / meanWeight;
                    batchWeight += 1;
                    java.util.Arrays.fill(dh, 0);
                    for (int c = 0; c < classes; c++) {
                        double g = (out[c] / sum - (c == y[i] ? 1 : 0)) * sw;
                        if (g == 0) {
                            continue;
                        }
                        int row = ow2 + c * hidden;
                        for (int u = 0; u < hidden; u++) {
                            grad[row + u] += g * h[u];
                            dh[u] += g * p[row + u];
                        }
                        grad[ob2 + c] += g;
                    }
                    for (int u = 0; u < hidden; u++) {
                        if (h[u] <= 0) {
                            continue;
                        }
                        double g = dh[u];
                        int row = ow1 + u * f;
                        for (int j = 0; j < f; j++) {
                            grad[row + j] += g * zi[j];
                        }
                        grad[ob1 + u] += g;
                    }
                }
                t++;
                double rate = settings.rate() * (1 - 0.9 * (double) (t - 1) / totalSteps);
                double correction1 = 1 - StrictMath.pow(beta1, t);
                double correction2 = 1 - StrictMath.pow(beta2, t);
                for (int k = 0; k < size; k++) {
                    boolean weight = k < ob1 || (k >= ow2 && k < ob2);
                    double g = grad[k] / batchWeight + (weight ? settings.l2() * p[k] : 0);
                    m1[k] = beta1 * m1[k] + (1 - beta1) * g;
                    m2[k] = beta2 * m2[k] + (1 - beta2) * g * g;
                    p[k] -= rate * (m1[k] / correction1) / (Math.sqrt(m2[k] / correction2) + 1e-8);
                }
            }
        }
        float[] w1 = new float[hidden * f];
        float[] b1 = new float[hidden];
        for (int u = 0; u < hidden; u++) {
            double b = p[ob1 + u];
            for (int j = 0; j < f; j++) {
                double w = constant[j] ? 0 : p[ow1 + u * f + j] / scale[j];
                w1[u * f + j] = (float) w;
                b -= w * mean[j];
            }
            b1[u] = (float) b;
        }
        float[] w2 = new float[classes * hidden];
        float[] b2 = new float[classes];
        for (int i = 0; i < w2.length; i++) {
            w2[i] = (float) p[ow2 + i];
        }
        for (int c = 0; c < classes; c++) {
            b2[c] = (float) p[ob2 + c];
        }
        return new Weights(w1, b1, w2, b2);
    }
}
