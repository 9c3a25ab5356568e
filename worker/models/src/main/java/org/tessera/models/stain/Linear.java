package org.tessera.models.stain;

/** The little 3-D linear algebra stain estimation needs. */
final class Linear {

    private Linear() {}

    static double[] scale(double[] v, double s) {
        return new double[] {v[0] * s, v[1] * s, v[2] * s};
    }

    static double[] add(double[] a, double[] b) {
        return new double[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]};
    }

    /**
     * Eigenvectors of a symmetric 3 × 3 matrix by cyclic Jacobi rotations, sorted by decreasing eigenvalue; each a
     * unit vector. A fixed number of sweeps: the same input gives the same output bit for bit.
     */
    static double[][] symmetricEigenvectors(double[][] matrix) {
        double[][] a = new double[3][3];
        double[][] v = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        for (int i = 0; i < 3; i++) {
            a[i] = matrix[i].clone();
        }
        for (int sweep = 0; sweep < 50; sweep++) {
            for (int p = 0; p < 2; p++) {
                for (int q = p + 1; q < 3; q++) {
                    if (Math.abs(a[p][q]) < 1e-300) {
                        continue;
                    }
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < 3; k++) {
                        double akp = a[k][p];
                        double akq = a[k][q];
                        a[k][p] = c * akp - s * akq;
                        a[k][q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < 3; k++) {
                        double apk = a[p][k];
                        double aqk = a[q][k];
                        a[p][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < 3; k++) {
                        double vkp = v[k][p];
                        double vkq = v[k][q];
                        v[k][p] = c * vkp - s * vkq;
                        v[k][q] = s * vkp + c * vkq;
                    }
                }
            }
        }
        Integer[] order = {0, 1, 2};
        java.util.Arrays.sort(order, (x, y) -> Double.compare(a[y][y], a[x][x]));
        double[][] out = new double[3][];
        for (int i = 0; i < 3; i++) {
            int col = order[i];
            out[i] = new double[] {v[0][col], v[1][col], v[2][col]};
        }
        return out;
    }

    /**
     * The 3 × 2 least-squares unmixing matrix of two stain vectors: concentrations {@code [h, e] = od · P}, with
     * {@code P = Sᵀ (S Sᵀ)⁻¹} for {@code S} the 2 × 3 matrix whose rows are the stains.
     */
    static double[][] pseudoInverse(double[] h, double[] e) {
        double hh = dot(h, h);
        double he = dot(h, e);
        double ee = dot(e, e);
        double det = hh * ee - he * he;
        double i00 = ee / det;
        double i01 = -he / det;
        double i11 = hh / det;
        double[][] p = new double[3][2];
        for (int c = 0; c < 3; c++) {
            p[c][0] = h[c] * i00 + e[c] * i01;
            p[c][1] = h[c] * i01 + e[c] * i11;
        }
        return p;
    }

    /** The inverse of a 3 × 3 matrix (by cofactors); the stain bases it inverts are far from singular. */
    static double[][] inverse(double[][] m) {
        double[][] c = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                int i1 = (i + 1) % 3;
                int i2 = (i + 2) % 3;
                int j1 = (j + 1) % 3;
                int j2 = (j + 2) % 3;
                c[i][j] = m[i1][j1] * m[i2][j2] - m[i1][j2] * m[i2][j1];
            }
        }
        double det = m[0][0] * c[0][0] + m[0][1] * c[0][1] + m[0][2] * c[0][2];
        double[][] inv = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                inv[i][j] = c[j][i] / det;
            }
        }
        return inv;
    }

    static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }
}
