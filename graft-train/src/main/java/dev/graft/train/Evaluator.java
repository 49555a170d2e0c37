package dev.graft.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.graft.data.Examples;
import dev.graft.data.RegressionTargets;
import dev.graft.metrics.ClassificationMetrics;
import dev.graft.metrics.RegressionMetrics;
import dev.graft.model.GraftModel;

/** Runs a model in inference mode over a dataset and measures it. */
public final class Evaluator {
    private Evaluator() {}

    /** The model's output for every sample ({@code [N × K]} logits for a classifier), in batches. */
    public static float[] logits(GraftModel model, Examples data, int batchSize) {
        int k = (int) model.layout().output().count();
        float[] out = new float[data.size() * k];
        for (int start = 0; start < data.size(); start += batchSize) {
            int n = Math.min(batchSize, data.size() - start);
            try (NDManager m = model.manager().newSubManager()) {
                NDArray logits = model.predict(m.create(data.features(start, n), new Shape(data.batchShape(n))));
                System.arraycopy(logits.toFloatArray(), 0, out, start * k, n * k);
            }
        }
        return out;
    }

    /**
     * A model's outputs as samples: the activations of a network's prefix (its output shape per
     * sample, such as {@code [D]} or {@code [L, H+1]}), with {@code data}'s labels and groups, for
     * training or fitting what follows the prefix on them.
     */
    public static Examples activations(GraftModel prefix, Examples data) {
        float[] out = logits(prefix, data, 256);
        return new Examples(prefix.layout().output(), out, data.labels(), data.classes(), data.groups(),
                data.targets());
    }

    /**
     * A regression's metrics from the network's outputs (standardized units, one per sample):
     * RMSE, MAE and R² of the de-standardized predictions against the targets in their own units,
     * and the task's loss on the standardized ones.
     *
     * @param outputs {@code [N]} network outputs
     */
    public static RegressionMetrics regression(float[] outputs, RegressionTargets t) {
        int n = t.values().length;
        double[] truth = new double[n];
        double[] pred = new double[n];
        double loss = 0;
        for (int i = 0; i < n; i++) {
            truth[i] = t.values()[i];
            pred[i] = t.destandardize(outputs[i]);
            loss += t.loss().of(outputs[i] - t.standardized(i));
        }
        return RegressionMetrics.of(truth, pred, n == 0 ? Double.NaN : loss / n);
    }

    /**
     * Accuracy, per-class and averaged F1, confusion matrix and mean cross-entropy, and the same by
     * group when {@code data} has groups; for a regression ({@link Examples#regression()}) its
     * {@link #regression} metrics instead.
     */
    public static ClassificationMetrics evaluate(GraftModel model, Examples data, int batchSize) {
        if (data.regression()) {
            return ClassificationMetrics.of(regression(logits(model, data, batchSize), data.targets()));
        }
        int k = (int) model.layout().output().get(0);
        float[] logits = logits(model, data, batchSize);
        int[] pred = new int[data.size()];
        double loss = 0;
        for (int i = 0; i < data.size(); i++) {
            int best = 0;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                if (logits[i * k + c] > max) {
                    max = logits[i * k + c];
                    best = c;
                }
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                sum += Math.exp(logits[i * k + c] - max);
            }
            loss += -(logits[i * k + data.labels()[i]] - max - Math.log(sum));
            pred[i] = best;
        }
        return ClassificationMetrics.of(data.labels(), pred, k, data.size() == 0 ? Double.NaN : loss / data.size(),
                data.groups());
    }
}
