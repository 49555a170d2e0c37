package dev.graft.train;

import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.FeatureNode;
import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Model;
import de.bwaldvogel.liblinear.Parameter;
import de.bwaldvogel.liblinear.Problem;
import de.bwaldvogel.liblinear.SolverType;
import dev.graft.data.Examples;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A linear head fitted to convergence on fixed features: L2-regularized logistic regression, the
 * classic linear probe on a frozen trunk. Solved by LIBLINEAR's trust-region Newton method for the
 * primal problem (Fan et al. 2008, "LIBLINEAR: A Library for Large Linear Classification", JMLR 9;
 * Lin, Weng and Keerthi 2008), one versus the rest for more than two classes: for each class k,
 * {@code min ½‖w_k‖² + C Σ_i log(1 + exp(−y_ik (w_k·z_i + b_k)))} over standardized features
 * {@code z}, the bias not penalized, with {@code C = 1 / (λ n)} (so λ is the L2 strength per sample).
 * λ is chosen from {@link #LAMBDAS} by validation accuracy (then validation log-loss), or by
 * stratified k-fold cross-validation on the training features when there is no validation split.
 * The result is folded back to raw features as an ordinary {@code nn.Linear} head: weight
 * {@code [K, D]}, bias {@code [K]}; with two classes the rows are ±½ of the one decision function,
 * so the head's softmax is exactly the binary model's probability.
 *
 * <p>Stateless and thread-safe.
 */
public final class LogisticHead {
    /** The L2 strengths tried, on standardized features, strongest first (warm starts run down it). */
    public static final double[] LAMBDAS = {1, 1e-1, 1e-2, 1e-3, 1e-4};

    /** LIBLINEAR's stopping tolerance on the gradient norm, relative to the start's. */
    static final double EPS = 1e-6;

    static {
        // LIBLINEAR prints its iterations to stdout unless told not to (a process-wide switch)
        Linear.disableDebugOutput();
    }

    private LogisticHead() {}

    /**
     * A fitted head.
     *
     * @param weight {@code [classes][features]}, on raw features
     * @param bias {@code [classes]}
     * @param lambda the chosen L2 strength (on standardized features)
     * @param selection how λ was chosen, for the run's message
     */
    public record Fit(float[][] weight, float[] bias, double lambda, String selection) {
        /** The logits of one raw feature vector {@code [features]}: {@code [classes]}. */
        public double[] logits(float[] x, int offset) {
            double[] out = new double[bias.length];
            for (int k = 0; k < bias.length; k++) {
                double s = bias[k];
                float[] w = weight[k];
                for (int j = 0; j < w.length; j++) {
                    s += w[j] * x[offset + j];
                }
                out[k] = s;
            }
            return out;
        }
    }

    /**
     * Fits the head on {@code train}'s features ({@code [n, D]}, flattened per sample), choosing λ
     * on {@code validation} when given.
     *
     * @param validation validation features, or null to choose λ by cross-validation on {@code train}
     * @param seed the folds' shuffle
     * @throws IllegalArgumentException if {@code train} is empty or the two disagree on the feature count
     */
    public static Fit fit(Examples train, Examples validation, long seed) {
        if (train.size() == 0) {
            throw new IllegalArgumentException("no training samples");
        }
        int d = train.sampleSize();
        if (validation != null && validation.sampleSize() != d) {
            throw new IllegalArgumentException("training features have " + d + " values, validation "
                    + validation.sampleSize());
        }
        double lambda;
        String how;
        if (validation != null && validation.size() > 0) {
            lambda = choose(List.of(new Fold(train, validation)));
            how = "on the validation split";
        } else {
            List<Fold> folds = folds(train, seed);
            if (folds.isEmpty()) {
                lambda = 1e-2;
                how = "fixed (too few samples per class to cross-validate)";
            } else {
                lambda = choose(folds);
                how = "by " + folds.size() + "-fold cross-validation";
            }
        }
        return folded(solve(train, lambda), lambda, how);
    }

    /**
     * Fits the head on {@code train} with a fixed λ (on standardized features).
     *
     * @throws IllegalArgumentException if {@code train} is empty or λ is negative
     */
    public static Fit fit(Examples train, double lambda) {
        if (train.size() == 0 || !(lambda >= 0)) {
            throw new IllegalArgumentException(train.size() == 0 ? "no training samples" : "λ must be ≥ 0");
        }
        return folded(solve(train, lambda), lambda, "fixed");
    }

    /** The fitted decision functions for λ on {@code train}, standardized by {@code train}'s statistics. */
    private static Solution solve(Examples train, double lambda) {
        Standardized s = Standardized.of(train);
        int n = s.labels.length;
        int d = s.dim;
        Problem prob = new Problem();
        prob.l = n;
        prob.n = d + 1;
        prob.bias = 1;
        prob.x = new Feature[n][];
        prob.y = new double[n];
        for (int i = 0; i < n; i++) {
            Feature[] row = new Feature[d + 1];
            for (int j = 0; j < d; j++) {
                row[j] = new FeatureNode(j + 1, s.x[i * d + j]);
            }
            row[d] = new FeatureNode(d + 1, 1);
            prob.x[i] = row;
            prob.y[i] = s.labels[i];
        }
        Parameter param = new Parameter(SolverType.L2R_LR, 1 / (lambda * n), EPS);
        param.setRegularizeBias(false);
        param.setMaxIters(10_000);
        Model model = Linear.train(prob, param);
        int k = s.classes;
        double[] theta = new double[k * d + k];
        int[] labels = model.getLabels();
        if (labels.length == 1) {
            // one class present: every logit but its own stays 0 and its own bias wins
            theta[k * d + labels[0]] = 1;
        } else if (labels.length == 2) {
            for (int j = 0; j < d; j++) {
                double w = model.getDecfunCoef(j + 1, 0) / 2;
                theta[labels[0] * d + j] = w;
                theta[labels[1] * d + j] = -w;
            }
            double b = model.getDecfunBias(0) / 2;
            theta[k * d + labels[0]] = b;
            theta[k * d + labels[1]] = -b;
        } else {
            for (int c = 0; c < labels.length; c++) {
                for (int j = 0; j < d; j++) {
                    theta[labels[c] * d + j] = model.getDecfunCoef(j + 1, c);
                }
                theta[k * d + labels[c]] = model.getDecfunBias(c);
            }
            // a class absent from these samples can never win
            for (int c = 0; c < k; c++) {
                final int cc = c;
                if (java.util.Arrays.stream(labels).noneMatch(l -> l == cc)) {
                    theta[k * d + c] = -1e4;
                }
            }
        }
        return new Solution(s, theta);
    }

    private static double choose(List<Fold> folds) {
        double bestLambda = LAMBDAS[0];
        double bestAcc = -1;
        double bestLoss = Double.POSITIVE_INFINITY;
        for (double lambda : LAMBDAS) {
            double correct = 0;
            double loss = 0;
            int count = 0;
            for (int f = 0; f < folds.size(); f++) {
                Fold fold = folds.get(f);
                Solution sol = solve(fold.train, lambda);
                Fit fit = folded(sol, lambda, "");
                Examples v = fold.validation;
                for (int i = 0; i < v.size(); i++) {
                    double[] z = fit.logits(v.features(), i * v.sampleSize());
                    int arg = 0;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int c = 0; c < z.length; c++) {
                        if (z[c] > max) {
                            max = z[c];
                            arg = c;
                        }
                    }
                    double sum = 0;
                    for (double zc : z) {
                        sum += Math.exp(zc - max);
                    }
                    loss += Math.log(sum) - (z[v.labels()[i]] - max);
                    correct += arg == v.labels()[i] ? 1 : 0;
                }
                count += v.size();
            }
            double acc = correct / count;
            double mean = loss / count;
            // ties on accuracy (common on small validation sets) go to the better-calibrated fit
            if (acc > bestAcc + 1e-12 || (Math.abs(acc - bestAcc) <= 1e-12 && mean < bestLoss)) {
                bestAcc = acc;
                bestLoss = mean;
                bestLambda = lambda;
            }
        }
        return bestLambda;
    }

    private record Fold(Examples train, Examples validation) {}

    /** Stratified folds: k = min(5, smallest class count), none when a class has fewer than 2. */
    private static List<Fold> folds(Examples train, long seed) {
        List<List<Integer>> byClass = train.indicesByClass();
        int smallest = Integer.MAX_VALUE;
        for (List<Integer> c : byClass) {
            if (!c.isEmpty()) {
                smallest = Math.min(smallest, c.size());
            }
        }
        int k = Math.min(5, smallest);
        if (k < 2) {
            return List.of();
        }
        int[] foldOf = new int[train.size()];
        Random rng = new Random(seed);
        for (List<Integer> c : byClass) {
            List<Integer> shuffled = new ArrayList<>(c);
            java.util.Collections.shuffle(shuffled, rng);
            for (int i = 0; i < shuffled.size(); i++) {
                foldOf[shuffled.get(i)] = i % k;
            }
        }
        List<Fold> out = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            int ff = f;
            int[] in = java.util.stream.IntStream.range(0, train.size()).filter(i -> foldOf[i] != ff).toArray();
            int[] out2 = java.util.stream.IntStream.range(0, train.size()).filter(i -> foldOf[i] == ff).toArray();
            out.add(new Fold(train.subset(in), train.subset(out2)));
        }
        return out;
    }

    /** Features standardized per column by their own mean and deviation (a constant column by 1). */
    static final class Standardized {
        final double[] x;
        final int[] labels;
        final int classes;
        final int dim;
        final double[] mean;
        final double[] scale;

        private Standardized(double[] x, int[] labels, int classes, int dim, double[] mean, double[] scale) {
            this.x = x;
            this.labels = labels;
            this.classes = classes;
            this.dim = dim;
            this.mean = mean;
            this.scale = scale;
        }

        static Standardized of(Examples e) {
            int n = e.size();
            int d = e.sampleSize();
            float[] f = e.features();
            double[] mean = new double[d];
            double[] scale = new double[d];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    mean[j] += f[i * d + j];
                }
            }
            for (int j = 0; j < d; j++) {
                mean[j] /= n;
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    double v = f[i * d + j] - mean[j];
                    scale[j] += v * v;
                }
            }
            for (int j = 0; j < d; j++) {
                double sd = Math.sqrt(scale[j] / n);
                scale[j] = sd > 1e-6 ? sd : 1;
            }
            double[] x = new double[n * d];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    x[i * d + j] = (f[i * d + j] - mean[j]) / scale[j];
                }
            }
            return new Standardized(x, e.labels(), e.classes(), d, mean, scale);
        }
    }

    private record Solution(Standardized s, double[] theta) {}

    /** The solution on raw features: W' = W / scale (per column), b' = b − W' · mean. */
    private static Fit folded(Solution sol, double lambda, String how) {
        Standardized s = sol.s;
        int k = s.classes;
        int d = s.dim;
        float[][] w = new float[k][d];
        float[] b = new float[k];
        for (int c = 0; c < k; c++) {
            double bias = sol.theta[k * d + c];
            for (int j = 0; j < d; j++) {
                double v = sol.theta[c * d + j] / s.scale[j];
                w[c][j] = (float) v;
                bias -= v * s.mean[j];
            }
            b[c] = (float) bias;
        }
        return new Fit(w, b, lambda, how);
    }
}
