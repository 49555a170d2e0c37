package dev.graft.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The Tree-structured Parzen Estimator (Bergstra et al. 2011), univariate as in Optuna's
 * default. After {@code startup} random trials, finished trials are split at the γ-quantile of
 * their values into good and bad; for each dimension a density l(x) is fitted to the good and
 * g(x) to the bad (categorical: smoothed frequencies; ordinal: Gaussian Parzen windows over the
 * choice positions, plus a uniform prior), {@code candidates} values are drawn from l and the one
 * with the largest l/g is proposed.
 */
public final class TpeSampler implements Sampler {
    private final double gamma;
    private final int startup;
    private final int candidates;
    private final SplittableRandom rnd;

    public TpeSampler(double gamma, int startup, int candidates, long seed) {
        if (!(gamma > 0 && gamma < 1) || candidates < 1) {
            throw new IllegalArgumentException("gamma must be in (0, 1) and candidates positive");
        }
        this.gamma = gamma;
        this.startup = startup;
        this.candidates = candidates;
        this.rnd = new SplittableRandom(seed);
    }

    public static TpeSampler defaults(long seed) {
        return new TpeSampler(0.25, 10, 24, seed);
    }

    @Override
    public int[] sample(SearchSpace space, List<Trial> history) {
        List<Trial> done = new ArrayList<>(history.stream().filter(Trial::hasValue).toList());
        if (done.size() < startup) {
            return space.random(rnd);
        }
        done.sort(Comparator.comparingDouble(Trial::value).reversed());
        int nGood = Math.max(1, (int) Math.ceil(gamma * done.size()));
        if (nGood >= done.size()) {
            return space.random(rnd);
        }
        List<Trial> good = done.subList(0, nGood);
        List<Trial> bad = done.subList(nGood, done.size());
        double[][] l = new double[space.rank()][];
        double[][] g = new double[space.rank()][];
        for (int d = 0; d < space.rank(); d++) {
            Dimension dim = space.dimensions().get(d);
            if (!dim.fixed()) {
                l[d] = density(dim, good, d);
                g[d] = density(dim, bad, d);
            }
        }
        // On a finite space the l/g argmax keeps proposing the incumbent, and a repeated point
        // teaches nothing (the runners answer it from their memo but it still spends a trial). So
        // while unseen points remain: retry with fresh candidates, then draw straight from l(x),
        // then take any unseen point.
        java.util.Set<String> seen = new java.util.HashSet<>();
        history.forEach(t -> seen.add(t.key()));
        boolean exhausted = seen.size() >= space.cardinality();
        int[] p = propose(space, l, g, candidates);
        for (int attempt = 0; attempt < 8 && !exhausted && seen.contains(SearchSpace.key(p)); attempt++) {
            p = propose(space, l, g, attempt < 4 ? candidates : 1);
        }
        for (int attempt = 0; attempt < 64 && !exhausted && seen.contains(SearchSpace.key(p)); attempt++) {
            p = space.random(rnd);
        }
        return p;
    }

    /** Per dimension, the best of {@code n} candidates drawn from l by l/g (n = 1: a plain draw from l). */
    private int[] propose(SearchSpace space, double[][] l, double[][] g, int n) {
        int[] p = new int[space.rank()];
        for (int d = 0; d < space.rank(); d++) {
            if (l[d] == null) {
                continue;
            }
            int best = -1;
            double bestRatio = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < n; c++) {
                int x = draw(l[d]);
                double ratio = Math.log(l[d][x]) - Math.log(g[d][x]);
                if (ratio > bestRatio) {
                    bestRatio = ratio;
                    best = x;
                }
            }
            p[d] = best;
        }
        return p;
    }

    /** A probability over the dimension's choices from the observations, with a uniform prior of weight 1. */
    static double[] density(Dimension dim, List<Trial> obs, int d) {
        int k = dim.size();
        double[] w = new double[k];
        double prior = 1.0 / k;
        for (int c = 0; c < k; c++) {
            w[c] = prior;
        }
        if (dim.ordinal()) {
            double sigma = Math.max(0.5, (k - 1) * 0.5 * Math.pow(Math.max(1, obs.size()), -0.2));
            for (Trial t : obs) {
                int x = t.point()[d];
                double[] kernel = new double[k];
                double sum = 0;
                for (int c = 0; c < k; c++) {
                    kernel[c] = Math.exp(-0.5 * Math.pow((c - x) / sigma, 2));
                    sum += kernel[c];
                }
                for (int c = 0; c < k; c++) {
                    w[c] += kernel[c] / sum;
                }
            }
        } else {
            for (Trial t : obs) {
                w[t.point()[d]] += 1;
            }
        }
        double total = 0;
        for (double v : w) {
            total += v;
        }
        for (int c = 0; c < k; c++) {
            w[c] /= total;
        }
        return w;
    }

    private int draw(double[] p) {
        double u = rnd.nextDouble();
        double acc = 0;
        for (int c = 0; c < p.length; c++) {
            acc += p[c];
            if (u < acc) {
                return c;
            }
        }
        return p.length - 1;
    }
}
