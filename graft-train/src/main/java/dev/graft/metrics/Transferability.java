package dev.graft.metrics;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Scores of how well a source model suits a target task, computed before any fine-tuning so that
 * candidate sources can be ranked: LEEP from the source model's predictions, LogME from its
 * features. Higher is better for both.
 */
public final class Transferability {
    private Transferability() {}

    /**
     * LEEP (Nguyen et al. 2020): the mean log-likelihood of the target labels under the "expected
     * empirical predictor" Σ_z P(y | z) θ_z(x), where θ(x) are the source model's class
     * probabilities and P(y | z) the empirical conditional of target label y given source label z.
     *
     * @param probabilities per sample, the source model's softmax over its own classes
     * @param labels per sample, the target label in [0, classes)
     */
    public static double leep(double[][] probabilities, int[] labels, int classes) {
        int n = labels.length;
        int z = probabilities[0].length;
        double[][] joint = new double[classes][z];
        double[] marginal = new double[z];
        for (int i = 0; i < n; i++) {
            for (int s = 0; s < z; s++) {
                joint[labels[i]][s] += probabilities[i][s] / n;
                marginal[s] += probabilities[i][s] / n;
            }
        }
        double total = 0;
        for (int i = 0; i < n; i++) {
            double p = 0;
            for (int s = 0; s < z; s++) {
                if (marginal[s] > 0) {
                    p += joint[labels[i]][s] / marginal[s] * probabilities[i][s];
                }
            }
            total += Math.log(p);
        }
        return total / n;
    }

    /**
     * LogME (You et al. 2021): the log of the maximized marginal evidence of a Bayesian linear
     * model from the features to each one-hot target column, per sample, averaged over classes.
     * α (prior precision) and β (noise precision) are found by the paper's fixed-point iteration,
     * in the eigenbasis of FᵀF.
     *
     * @param features per sample, the source model's features (the input of its head)
     * @param labels per sample, the target label in [0, classes)
     */
    public static double logMe(double[][] features, int[] labels, int classes) {
        int n = features.length;
        int d = features[0].length;
        // FᵀF (d×d) and FFᵀ (n×n) share their non-zero eigenvalues; with more features than
        // samples (an intermediate layer's activations, a few shots) the n×n one is far cheaper
        boolean dual = d > n;
        int m = dual ? n : d;
        DMatrixRMaj gram = new DMatrixRMaj(m, m);
        if (dual) {
            for (int i = 0; i < n; i++) {
                for (int j = i; j < n; j++) {
                    double dot = 0;
                    for (int a = 0; a < d; a++) {
                        dot += features[i][a] * features[j][a];
                    }
                    gram.set(i, j, dot);
                    gram.set(j, i, dot);
                }
            }
        } else {
            for (double[] f : features) {
                for (int a = 0; a < d; a++) {
                    for (int b = 0; b < d; b++) {
                        gram.add(a, b, f[a] * f[b]);
                    }
                }
            }
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(m, true, true);
        if (!eig.decompose(gram)) {
            throw new IllegalStateException("the eigendecomposition of the Gram matrix did not converge");
        }
        // the eigenvalues of FᵀF: those found, and d − m zeros (their directions are orthogonal to
        // every Fᵀy, so their squared projections are 0)
        double[] lambda = new double[d];
        double[][] v = new double[m][];
        for (int i = 0; i < m; i++) {
            lambda[i] = Math.max(0, eig.getEigenvalue(i).real);
            v[i] = eig.getEigenVector(i).getData().clone();
            double norm = 0;
            for (double x : v[i]) {
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            for (int a = 0; a < m; a++) {
                v[i][a] /= norm;
            }
        }
        double sum = 0;
        for (int k = 0; k < classes; k++) {
            double yy = 0;
            double[] zz = new double[d];
            if (dual) {
                // with u an eigenvector of FFᵀ, v = Fᵀu/√λ is one of FᵀF, and vᵀFᵀy = √λ·uᵀy
                for (int i = 0; i < n; i++) {
                    yy += labels[i] == k ? 1 : 0;
                }
                for (int i = 0; i < m; i++) {
                    double uy = 0;
                    for (int j = 0; j < n; j++) {
                        uy += labels[j] == k ? v[i][j] : 0;
                    }
                    zz[i] = lambda[i] * uy * uy;
                }
            } else {
                double[] fty = new double[d];
                for (int i = 0; i < n; i++) {
                    if (labels[i] == k) {
                        yy += 1;
                        for (int a = 0; a < d; a++) {
                            fty[a] += features[i][a];
                        }
                    }
                }
                for (int i = 0; i < d; i++) {
                    double p = 0;
                    for (int a = 0; a < d; a++) {
                        p += v[i][a] * fty[a];
                    }
                    zz[i] = p * p;
                }
            }
            sum += evidence(n, d, lambda, zz, yy);
        }
        return sum / classes;
    }

    /** The per-sample log evidence of one target column: z² are the squared projections of Fᵀy. */
    static double evidence(int n, int d, double[] lambda, double[] z2, double yy) {
        double tiny = 1e-12 * max(lambda);
        int rank = 0;
        double minNorm = 0;
        double outside = yy;
        double logLambda = 0;
        for (int i = 0; i < lambda.length; i++) {
            if (lambda[i] > tiny) {
                rank++;
                minNorm += z2[i] / (lambda[i] * lambda[i]);
                outside -= z2[i] / lambda[i];
                logLambda += Math.log(lambda[i]);
            }
        }
        // n independent samples in d >= n dimensions fit any target exactly; then the evidence
        // may grow with β towards a finite supremum, where the fixed-point iteration never settles
        // (β runs off to infinity). That limit, maximized over α (α = n/‖m‖², m the minimum-norm
        // fit), is n/2·log(n/‖m‖²) − n/2 − ½·Σ log λᵢ − n/2·log 2π; LogME is the larger of it and
        // the iteration's value.
        double limit = rank == n && outside <= 1e-9 * Math.max(yy, 1e-300) && minNorm > 0
                ? n / 2.0 * Math.log(n / minNorm) - n / 2.0 - logLambda / 2 - n / 2.0 * Math.log(2 * Math.PI)
                : Double.NEGATIVE_INFINITY;
        double alpha = 1;
        double beta = 1;
        for (int it = 0; it < 100; it++) {
            double[] s = stats(alpha, beta, lambda, z2, yy, tiny);
            double newAlpha = s[0] / Math.max(s[1], 1e-300);
            double newBeta = (n - s[0]) / Math.max(s[2], 1e-300);
            if (!(newAlpha > 0 && newBeta > 0 && Double.isFinite(newAlpha) && Double.isFinite(newBeta))) {
                break;
            }
            boolean done = Math.abs(newAlpha - alpha) / alpha < 1e-6 && Math.abs(newBeta - beta) / beta < 1e-6;
            alpha = newAlpha;
            beta = newBeta;
            if (done) {
                break;
            }
        }
        double[] s = stats(alpha, beta, lambda, z2, yy, tiny);
        double logDet = 0;
        for (double l : lambda) {
            logDet += Math.log(alpha + beta * l);
        }
        double e = n / 2.0 * Math.log(beta) + d / 2.0 * Math.log(alpha) - n / 2.0 * Math.log(2 * Math.PI)
                - beta / 2 * s[2] - alpha / 2 * s[1] - logDet / 2;
        return (Double.isFinite(e) ? Math.max(e, limit) : limit) / n;
    }

    /**
     * {γ, mᵀm, ‖y − Fm‖²} at α, β, where m = β(αI + βFᵀF)⁻¹Fᵀy. The residual is summed per
     * eigendirection, ‖y‖² − Σ(uᵢᵀy)² outside the features' span plus Σ(α/(α+βλᵢ))²(uᵢᵀy)² inside
     * it, never as yᵀy − 2yᵀFm + ‖Fm‖²: when the features can fit y (more features than samples)
     * that difference cancels to rounding noise, turns negative and sends β to NaN.
     */
    private static double[] stats(double alpha, double beta, double[] lambda, double[] z2, double yy, double tiny) {
        double gamma = 0;
        double mm = 0;
        double outside = yy;
        double inside = 0;
        for (int i = 0; i < lambda.length; i++) {
            double t = alpha + beta * lambda[i];
            gamma += beta * lambda[i] / t;
            mm += beta * beta * z2[i] / (t * t);
            if (lambda[i] > tiny) {
                double uy2 = z2[i] / lambda[i];
                outside -= uy2;
                inside += alpha * alpha / (t * t) * uy2;
            }
        }
        return new double[] {gamma, mm, Math.max(0, outside) + inside};
    }

    private static double max(double[] values) {
        double m = 0;
        for (double v : values) {
            m = Math.max(m, v);
        }
        return m;
    }
}
