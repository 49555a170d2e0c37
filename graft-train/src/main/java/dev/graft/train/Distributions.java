package dev.graft.train;

import java.util.SplittableRandom;

/**
 * Permutations, and Gamma and Beta sampling for mixup and CutMix. Written here because the JDK has no Beta
 * distribution and pulling a statistics library in for two functions is not worth it.
 */
final class Distributions {
    private Distributions() {}

    /** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
    static int[] permutation(int n, SplittableRandom rnd) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** A Beta(a, b) sample, from two Gamma samples. */
    static double beta(SplittableRandom rnd, double a, double b) {
        double x = gamma(rnd, a);
        double y = gamma(rnd, b);
        return x + y == 0 ? 0.5 : x / (x + y);
    }

    /** A Gamma(shape, 1) sample by Marsaglia and Tsang's method (boosted for shape < 1). */
    static double gamma(SplittableRandom rnd, double shape) {
        if (shape < 1) {
            double u = rnd.nextDouble();
            return gamma(rnd, shape + 1) * Math.pow(u, 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = rnd.nextGaussian();
            double v = 1 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = rnd.nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
                return d * v;
            }
        }
    }
}
