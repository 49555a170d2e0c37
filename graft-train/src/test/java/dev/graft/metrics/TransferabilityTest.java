package dev.graft.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TransferabilityTest {
    @Test
    void leepMatchesAHandComputation() {
        double[][] theta = {{0.8, 0.2}, {0.6, 0.4}, {0.1, 0.9}};
        int[] y = {0, 0, 1};
        // P(y, z) = 1/3 Σ θ_z 1[y]: y=0: (1.4, 0.6)/3; y=1: (0.1, 0.9)/3; P(z) = (1.5, 1.5)/3
        // P(y|z): y=0: (1.4/1.5, 0.6/1.5); y=1: (0.1/1.5, 0.9/1.5)
        double e0 = 1.4 / 1.5 * 0.8 + 0.6 / 1.5 * 0.2;
        double e1 = 1.4 / 1.5 * 0.6 + 0.6 / 1.5 * 0.4;
        double e2 = 0.1 / 1.5 * 0.1 + 0.9 / 1.5 * 0.9;
        double expected = (Math.log(e0) + Math.log(e1) + Math.log(e2)) / 3;
        assertEquals(expected, Transferability.leep(theta, y, 2), 1e-12);
    }

    /** LogME by the paper's iteration with a direct inverse and log-determinant: an independent path. */
    static double directLogMe(double[][] f, int[] labels, int classes) {
        int n = f.length;
        int d = f[0].length;
        double total = 0;
        for (int k = 0; k < classes; k++) {
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                y[i] = labels[i] == k ? 1 : 0;
            }
            double alpha = 1;
            double beta = 1;
            for (int it = 0; it < 100; it++) {
                double[][] inv = invert(precision(f, alpha, beta));
                double[] m = posteriorMean(f, y, inv, beta);
                double trace = 0;
                for (int p = 0; p < d; p++) {
                    trace += inv[p][p];
                }
                double gamma = d - alpha * trace;
                double na = gamma / squaredNorm(m);
                double nb = (n - gamma) / residual(f, y, m);
                boolean done = Math.abs(na - alpha) / alpha < 1e-6 && Math.abs(nb - beta) / beta < 1e-6;
                alpha = na;
                beta = nb;
                if (done) {
                    break;
                }
            }
            // evidence at the final α, β
            double[][] a = precision(f, alpha, beta);
            double[] m = posteriorMean(f, y, invert(a), beta);
            double e = n / 2.0 * Math.log(beta) + d / 2.0 * Math.log(alpha) - n / 2.0 * Math.log(2 * Math.PI)
                    - beta / 2 * residual(f, y, m) - alpha / 2 * squaredNorm(m) - logDet(a) / 2;
            total += e / n;
        }
        return total / classes;
    }

    /** A = αI + β FᵀF. */
    private static double[][] precision(double[][] f, double alpha, double beta) {
        int d = f[0].length;
        double[][] a = new double[d][d];
        for (int p = 0; p < d; p++) {
            a[p][p] = alpha;
            for (int q = 0; q < d; q++) {
                for (double[] row : f) {
                    a[p][q] += beta * row[p] * row[q];
                }
            }
        }
        return a;
    }

    /** m = β A⁻¹ Fᵀy. */
    private static double[] posteriorMean(double[][] f, double[] y, double[][] inv, double beta) {
        int d = inv.length;
        double[] m = new double[d];
        for (int p = 0; p < d; p++) {
            for (int q = 0; q < d; q++) {
                for (int i = 0; i < f.length; i++) {
                    m[p] += beta * inv[p][q] * f[i][q] * y[i];
                }
            }
        }
        return m;
    }

    /** ‖y − Fm‖². */
    private static double residual(double[][] f, double[] y, double[] m) {
        double res = 0;
        for (int i = 0; i < f.length; i++) {
            double pred = 0;
            for (int p = 0; p < m.length; p++) {
                pred += f[i][p] * m[p];
            }
            res += (y[i] - pred) * (y[i] - pred);
        }
        return res;
    }

    private static double squaredNorm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return s;
    }

    static double[][] invert(double[][] a) {
        int d = a.length;
        double[][] m = new double[d][2 * d];
        for (int i = 0; i < d; i++) {
            System.arraycopy(a[i], 0, m[i], 0, d);
            m[i][d + i] = 1;
        }
        for (int c = 0; c < d; c++) {
            int piv = c;
            for (int r = c + 1; r < d; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[piv][c])) {
                    piv = r;
                }
            }
            double[] t = m[c];
            m[c] = m[piv];
            m[piv] = t;
            double p = m[c][c];
            for (int j = 0; j < 2 * d; j++) {
                m[c][j] /= p;
            }
            for (int r = 0; r < d; r++) {
                if (r != c) {
                    double f = m[r][c];
                    for (int j = 0; j < 2 * d; j++) {
                        m[r][j] -= f * m[c][j];
                    }
                }
            }
        }
        double[][] out = new double[d][d];
        for (int i = 0; i < d; i++) {
            System.arraycopy(m[i], d, out[i], 0, d);
        }
        return out;
    }

    /** log det of a symmetric positive definite matrix, by Cholesky. */
    static double logDet(double[][] a) {
        int d = a.length;
        double[][] l = new double[d][d];
        double sum = 0;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i][j];
                for (int k = 0; k < j; k++) {
                    s -= l[i][k] * l[j][k];
                }
                if (i == j) {
                    l[i][i] = Math.sqrt(s);
                    sum += 2 * Math.log(l[i][i]);
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        return sum;
    }

    @Test
    void logMeMatchesTheDirectComputation() {
        SplittableRandom rnd = new SplittableRandom(3);
        double[][] f = new double[12][4];
        int[] y = new int[12];
        for (int i = 0; i < 12; i++) {
            y[i] = i % 3;
            for (int k = 0; k < 4; k++) {
                f[i][k] = rnd.nextGaussian() + (k == y[i] ? 1.5 : 0);
            }
        }
        assertEquals(directLogMe(f, y, 3), Transferability.logMe(f, y, 3), 1e-9);
    }

    @Test
    void withMoreFeaturesThanSamplesLogMeIsTheEvidencesSupremumNotNaN() {
        // 9 samples, 20 features: any target is fit exactly, β's fixed point runs off to infinity
        // and LogME is the evidence's limit there; checked against the evidence computed directly
        // (inverse and log-determinant of αI + βFᵀF) at α = n/‖m‖² and a large β
        SplittableRandom rnd = new SplittableRandom(4);
        int n = 9;
        int d = 20;
        double[][] f = new double[n][d];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
            for (int k = 0; k < d; k++) {
                f[i][k] = rnd.nextGaussian() + (k % 3 == labels[i] ? 1.0 : 0);
            }
        }
        double[][] g = gram(f);
        double[][] gramInverse = invert(g);
        double expected = 0;
        for (int c = 0; c < 3; c++) {
            double[] y = new double[n];
            int[] oneClass = new int[n];
            for (int i = 0; i < n; i++) {
                y[i] = labels[i] == c ? 1 : 0;
                oneClass[i] = labels[i] == c ? 0 : 1;
            }
            double mm = 0;   // ‖m‖² of the minimum-norm fit m = Fᵀ(FFᵀ)⁻¹y: yᵀ(FFᵀ)⁻¹y
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    mm += y[i] * gramInverse[i][j] * y[j];
                }
            }
            double alpha = n / mm;
            double limit = n / 2.0 * Math.log(alpha) - n / 2.0 - logDet(g) / 2 - n / 2.0 * Math.log(2 * Math.PI);
            // the evidence at α = n/‖m‖² climbs towards that limit as β grows
            double gap2 = Math.abs(directEvidence(f, y, alpha, 1e2) - limit);
            double gap3 = Math.abs(directEvidence(f, y, alpha, 1e3) - limit);
            assertTrue(gap3 < gap2 && gap3 < 0.05 * n, gap2 + " " + gap3);
            expected += Math.max(limit / n, directLogMe(f, oneClass, 1));
        }
        double logMe = Transferability.logMe(f, labels, 3);
        assertTrue(Double.isFinite(logMe));
        assertEquals(expected / 3, logMe, 1e-6);
    }

    private static double[][] gram(double[][] f) {
        double[][] g = new double[f.length][f.length];
        for (int i = 0; i < f.length; i++) {
            for (int j = 0; j < f.length; j++) {
                for (int k = 0; k < f[0].length; k++) {
                    g[i][j] += f[i][k] * f[j][k];
                }
            }
        }
        return g;
    }

    /** The log evidence of y at α, β, from A = αI + βFᵀF directly. */
    private static double directEvidence(double[][] f, double[] y, double alpha, double beta) {
        int n = f.length;
        int d = f[0].length;
        double[][] a = precision(f, alpha, beta);
        double[] m = posteriorMean(f, y, invert(a), beta);
        return n / 2.0 * Math.log(beta) + d / 2.0 * Math.log(alpha) - n / 2.0 * Math.log(2 * Math.PI)
                - beta / 2 * residual(f, y, m) - alpha / 2 * squaredNorm(m) - logDet(a) / 2;
    }

    @Test
    void featuresThatSeparateTheClassesScoreHigher() {
        SplittableRandom rnd = new SplittableRandom(5);
        int n = 60;
        double[][] good = new double[n][3];
        double[][] noise = new double[n][3];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            for (int k = 0; k < 3; k++) {
                good[i][k] = (k == y[i] ? 3 : 0) + 0.3 * rnd.nextGaussian();
                noise[i][k] = rnd.nextGaussian();
            }
        }
        assertTrue(Transferability.logMe(good, y, 3) > Transferability.logMe(noise, y, 3));
    }
}
