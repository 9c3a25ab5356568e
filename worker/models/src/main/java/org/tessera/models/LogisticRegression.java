package org.tessera.models;

/**
 * Multinomial logistic regression fitted by full-batch gradient descent with momentum on standardized features, in
 * a fixed order and number of steps, so the same data give the same weights bit for bit. The result is expressed in
 * the original feature units (standardization folded into weights and bias), ready for a 1×1 convolution.
 */
public final class LogisticRegression {

    private LogisticRegression() {}

    /**
     * @param x samples × features
     * @param y class per sample, 0..classes-1
     * @param classWeight weight of each class's samples (balances rare classes)
     * @return weights [class][feature] row-major followed by nothing; bias separately in {@code bias}
     */
    public static Fit fit(double[][] x, int[] y, int classes, double[] classWeight, int steps, double l2) {
        int n = x.length;
        int f = x[0].length;
        double[] mean = new double[f];
        double[] scale = new double[f];
        for (double[] row : x) {
            for (int j = 0; j < f; j++) {
                mean[j] += row[j] / n;
            }
        }
        for (double[] row : x) {
            for (int j = 0; j < f; j++) {
                scale[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / n;
            }
        }
        for (int j = 0; j < f; j++) {
            scale[j] = Math.sqrt(scale[j]) + 1e-9;
        }
        double[][] w = new double[classes][f + 1];
        double[][] velocity = new double[classes][f + 1];
        double totalWeight = 0;
        for (int label : y) {
            totalWeight += classWeight[label];
        }
        double rate = 0.5;
        double[] z = new double[f];
        double[] p = new double[classes];
        for (int step = 0; step < steps; step++) {
            double[][] grad = new double[classes][f + 1];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < f; j++) {
                    z[j] = (x[i][j] - mean[j]) / scale[j];
                }
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < classes; c++) {
                    double s = w[c][f];
                    for (int j = 0; j < f; j++) {
                        s += w[c][j] * z[j];
                    }
                    p[c] = s;
                    max = Math.max(max, s);
                }
                double sum = 0;
                for (int c = 0; c < classes; c++) {
                    p[c] = Math.exp(p[c] - max);
                    sum += p[c];
                }
                double sw = classWeight[y[i]] / totalWeight;
                for (int c = 0; c < classes; c++) {
                    double g = (p[c] / sum - (c == y[i] ? 1 : 0)) * sw;
                    for (int j = 0; j < f; j++) {
                        grad[c][j] += g * z[j];
                    }
                    grad[c][f] += g;
                }
            }
            for (int c = 0; c < classes; c++) {
                for (int j = 0; j <= f; j++) {
                    double g = grad[c][j] + (j < f ? l2 * w[c][j] : 0);
                    velocity[c][j] = 0.9 * velocity[c][j] - rate * g;
                    w[c][j] += velocity[c][j];
                }
            }
        }
        float[] weights = new float[classes * f];
        float[] bias = new float[classes];
        for (int c = 0; c < classes; c++) {
            double b = w[c][f];
            for (int j = 0; j < f; j++) {
                weights[c * f + j] = (float) (w[c][j] / scale[j]);
                b -= w[c][j] * mean[j] / scale[j];
            }
            bias[c] = (float) b;
        }
        return new Fit(weights, bias);
    }

    /** Weights [class][feature] row-major and one bias per class, in original feature units. */
    public record Fit(float[] weights, float[] bias) {}
}
