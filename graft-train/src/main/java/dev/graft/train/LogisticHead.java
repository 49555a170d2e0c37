package dev.graft.train;

import dev.graft.data.Examples;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.commons.math3.optim.ConvergenceChecker;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.SimpleValueChecker;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunctionGradient;
import org.apache.commons.math3.optim.nonlinear.scalar.gradient.NonLinearConjugateGradientOptimizer;

/**
 * A linear softmax head fitted to convergence on fixed features: L2-regularized multinomial
 * logistic regression, the classic linear probe on a frozen trunk. It minimizes
 * {@code mean_i CE(softmax(W z_i + b), y_i) + λ/2 ‖W‖²} over standardized features {@code z}
 * (the bias is not penalized), with Polak-Ribière nonlinear conjugate gradients (Apache Commons
 * Math) until the objective stops moving; the objective is convex, so this is its minimum. λ is
 * chosen from {@link #LAMBDAS} by validation accuracy (then validation log-loss), or by stratified
 * k-fold cross-validation on the training features when there is no validation split. The result is
 * folded back to raw features, so it is an ordinary {@code nn.Linear} head: weight {@code [K, D]},
 * bias {@code [K]}.
 *
 * <p>Stateless and thread-safe.
 */
public final class LogisticHead {
    /** The L2 strengths tried, on standardized features, strongest first (warm starts run down it). */
    public static final double[] LAMBDAS = {1, 1e-1, 1e-2, 1e-3, 1e-4};

    private static final int MAX_EVAL = 200_000;
    private static final double GRADIENT_TOLERANCE = 1e-7;

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
        return folded(solve(train, lambda, null), lambda, how);
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
        return folded(solve(train, lambda, null), lambda, "fixed");
    }

    /**
     * The regularized objective and its gradient at packed parameters {@code theta} (W row-major,
     * then b) on standardized features; exposed for the convergence test.
     */
    static double objective(Standardized s, double lambda, double[] theta, double[] grad) {
        int k = s.classes;
        int d = s.dim;
        int n = s.labels.length;
        if (grad != null) {
            Arrays.fill(grad, 0);
        }
        double loss = 0;
        double[] z = new double[k];
        for (int i = 0; i < n; i++) {
            int off = i * d;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double v = theta[k * d + c];
                int w = c * d;
                for (int j = 0; j < d; j++) {
                    v += theta[w + j] * s.x[off + j];
                }
                z[c] = v;
                max = Math.max(max, v);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                z[c] = Math.exp(z[c] - max);
                sum += z[c];
            }
            int y = s.labels[i];
            loss -= Math.log(z[y] / sum);
            if (grad != null) {
                for (int c = 0; c < k; c++) {
                    double g = (z[c] / sum - (c == y ? 1 : 0)) / n;
                    int w = c * d;
                    for (int j = 0; j < d; j++) {
                        grad[w + j] += g * s.x[off + j];
                    }
                    grad[k * d + c] += g;
                }
            }
        }
        double penalty = 0;
        for (int j = 0; j < k * d; j++) {
            penalty += theta[j] * theta[j];
            if (grad != null) {
                grad[j] += lambda * theta[j];
            }
        }
        return loss / n + lambda / 2 * penalty;
    }

    /** The packed optimum for λ on {@code train}, standardized by {@code train}'s statistics. */
    private static Solution solve(Examples train, double lambda, double[] start) {
        Standardized s = Standardized.of(train);
        int size = s.classes * s.dim + s.classes;
        double[] guess = start == null ? new double[size] : start;
        // converged means a vanishing gradient, not a stalled objective: a value check alone stops
        // Polak-Ribière early on flat, ill-conditioned directions
        SimpleValueChecker stalled = new SimpleValueChecker(1e-15, 1e-15);
        ConvergenceChecker<PointValuePair> converged = (iteration, previous, current) -> {
            double[] g = new double[size];
            objective(s, lambda, current.getPoint(), g);
            double norm = 0;
            for (double v : g) {
                norm += v * v;
            }
            return Math.sqrt(norm) < GRADIENT_TOLERANCE || stalled.converged(iteration, previous, current);
        };
        NonLinearConjugateGradientOptimizer opt = new NonLinearConjugateGradientOptimizer(
                NonLinearConjugateGradientOptimizer.Formula.POLAK_RIBIERE, converged, 1e-10, 1e-12, 1e-4);
        PointValuePair best = opt.optimize(new MaxEval(MAX_EVAL), GoalType.MINIMIZE, new InitialGuess(guess),
                new ObjectiveFunction(theta -> objective(s, lambda, theta, null)),
                new ObjectiveFunctionGradient(theta -> {
                    double[] g = new double[theta.length];
                    objective(s, lambda, theta, g);
                    return g;
                }));
        return new Solution(s, best.getPoint());
    }

    private static double choose(List<Fold> folds) {
        double bestLambda = LAMBDAS[0];
        double bestAcc = -1;
        double bestLoss = Double.POSITIVE_INFINITY;
        double[][] warm = new double[folds.size()][];
        for (double lambda : LAMBDAS) {
            double correct = 0;
            double loss = 0;
            int count = 0;
            for (int f = 0; f < folds.size(); f++) {
                Fold fold = folds.get(f);
                Solution sol = solve(fold.train, lambda, warm[f]);
                warm[f] = sol.theta;
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
