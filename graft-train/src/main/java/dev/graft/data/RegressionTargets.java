package dev.graft.data;

import dev.graft.metrics.RegressionLoss;

/**
 * A regression task's targets: one real value per sample, the standardization the model learns
 * them in ({@code z = (y − mean) / std}, statistics from the training pool, so the network's
 * output is in standardized units and {@code ŷ = mean + std·output}), and the loss it trains on.
 *
 * @param values the targets in their own units, one per sample
 * @param mean the training pool's mean of the targets
 * @param std the training pool's (population) standard deviation, positive (1 for a constant pool)
 * @param loss the training loss, on standardized targets
 */
public record RegressionTargets(float[] values, double mean, double std, RegressionLoss loss) {

    public RegressionTargets {
        if (!(std > 0) || !Double.isFinite(mean) || !Double.isFinite(std)) {
            throw new IllegalArgumentException("target standardization needs a finite mean and a positive std, got "
                    + mean + ", " + std);
        }
        java.util.Objects.requireNonNull(loss, "loss");
    }

    /** Raw values, not yet standardized against a pool (mean 0, std 1): {@link #standardizedBy} sets them. */
    public static RegressionTargets raw(float[] values, RegressionLoss loss) {
        return new RegressionTargets(values, 0, 1, loss);
    }

    /**
     * The same values standardized by {@code pool}'s mean and population standard deviation (in
     * double precision; a constant pool gets std 1, as scikit-learn's StandardScaler does).
     */
    public RegressionTargets standardizedBy(float[] pool) {
        double m = 0;
        for (float v : pool) {
            m += v;
        }
        m /= Math.max(1, pool.length);
        double s = 0;
        for (float v : pool) {
            s += (v - m) * (v - m);
        }
        double sd = Math.sqrt(s / Math.max(1, pool.length));
        return new RegressionTargets(values, m, sd > 0 && Double.isFinite(1 / sd) ? sd : 1, loss);
    }

    /** Sample {@code i}'s standardized target. */
    public float standardized(int i) {
        return (float) ((values[i] - mean) / std);
    }

    /** A network output (standardized units) in the target's own units. */
    public double destandardize(double output) {
        return mean + std * output;
    }

    /** The targets of the samples at {@code indices}, in that order. */
    public RegressionTargets subset(int[] indices) {
        float[] v = new float[indices.length];
        for (int j = 0; j < indices.length; j++) {
            v[j] = values[indices[j]];
        }
        return new RegressionTargets(v, mean, std, loss);
    }

    /** These values followed by {@code other}'s, under this standardization. */
    public RegressionTargets concat(RegressionTargets other) {
        float[] v = java.util.Arrays.copyOf(values, values.length + other.values.length);
        System.arraycopy(other.values, 0, v, values.length, other.values.length);
        return new RegressionTargets(v, mean, std, loss);
    }
}
