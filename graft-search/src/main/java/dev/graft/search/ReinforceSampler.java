package dev.graft.search;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A reinforcement-learning controller (Zoph and Le 2017, without the RNN): one categorical
 * distribution per gene, softmax of its logits θ, trained by REINFORCE. Each finished trial with
 * value r moves the logits of the choices it made by
 * {@code α · (r − b) / s · (1[c = a] − π(c))}, where b is an exponential moving average of the
 * values (the baseline) and s a moving average of |r − b| that keeps the step independent of the
 * objective's scale. Failed trials teach nothing. Written here: no JVM library offers a policy
 * gradient over categorical choices.
 */
public final class ReinforceSampler implements Sampler {

    /**
     * @param learningRate α, the step on a normalized advantage of 1
     * @param baselineDecay how much of the old baseline each trial keeps
     */
    public record Config(double learningRate, double baselineDecay) {
        public Config {
            if (!(learningRate > 0) || !(baselineDecay >= 0 && baselineDecay < 1)) {
                throw new IllegalArgumentException("learning rate must be positive and baseline decay in [0, 1)");
            }
        }

        public static Config defaults() {
            return new Config(0.5, 0.8);
        }
    }

    private final Config config;
    private final SplittableRandom rnd;
    private final Map<Integer, int[]> proposed = new HashMap<>();
    private double[][] logits;
    private double baseline = Double.NaN;
    private double scale = Double.NaN;

    public ReinforceSampler(Config config, long seed) {
        this.config = config;
        this.rnd = new SplittableRandom(seed);
    }

    @Override
    public int[] sample(SearchSpace space, List<Trial> history) {
        init(space);
        int[] p = new int[space.rank()];
        for (int d = 0; d < p.length; d++) {
            double[] pi = policy(d);
            double u = rnd.nextDouble();
            double acc = 0;
            p[d] = pi.length - 1;
            for (int c = 0; c < pi.length; c++) {
                acc += pi[c];
                if (u < acc) {
                    p[d] = c;
                    break;
                }
            }
        }
        return p;
    }

    @Override
    public void observe(SearchSpace space, Trial t) {
        init(space);
        if (!t.hasValue()) {
            return;
        }
        double r = t.value();
        if (Double.isNaN(baseline)) {
            baseline = r;
            return;
        }
        double advantage = r - baseline;
        scale = Double.isNaN(scale) ? Math.abs(advantage) : 0.9 * scale + 0.1 * Math.abs(advantage);
        if (scale > 0) {
            int[] a = t.point();
            for (int d = 0; d < a.length; d++) {
                double[] pi = policy(d);
                for (int c = 0; c < pi.length; c++) {
                    logits[d][c] += config.learningRate() * advantage / scale * ((c == a[d] ? 1 : 0) - pi[c]);
                }
            }
        }
        baseline = config.baselineDecay() * baseline + (1 - config.baselineDecay()) * r;
    }

    /** The current choice probabilities of gene {@code d}. */
    double[] policy(int d) {
        double[] z = logits[d];
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double[] p = new double[z.length];
        double sum = 0;
        for (int c = 0; c < z.length; c++) {
            p[c] = Math.exp(z[c] - max);
            sum += p[c];
        }
        for (int c = 0; c < z.length; c++) {
            p[c] /= sum;
        }
        return p;
    }

    private void init(SearchSpace space) {
        if (logits == null) {
            logits = new double[space.rank()][];
            for (int d = 0; d < space.rank(); d++) {
                logits[d] = new double[space.dimensions().get(d).size()];
            }
        }
    }
}
