package dev.graft.strategy;

import dev.graft.metrics.ClassificationMetrics;
import java.util.List;

/** How several models' predictions become one: the mean of their probabilities, or a majority vote. */
public enum Ensemble {
    /** The class of highest mean probability. */
    AVERAGE,
    /** The class most members predict; a tie goes to the tied class of highest mean probability. */
    MAJORITY;

    /**
     * The ensemble's predictions.
     *
     * @param probabilities per member, {@code [N × K]} class probabilities, row-major
     */
    public int[] predict(List<float[]> probabilities, int samples, int classes) {
        int[] out = new int[samples];
        for (int i = 0; i < samples; i++) {
            double[] mean = new double[classes];
            int[] votes = new int[classes];
            for (float[] p : probabilities) {
                int best = 0;
                for (int c = 0; c < classes; c++) {
                    mean[c] += p[i * classes + c] / probabilities.size();
                    if (p[i * classes + c] > p[i * classes + best]) {
                        best = c;
                    }
                }
                votes[best]++;
            }
            int pick = 0;
            for (int c = 1; c < classes; c++) {
                boolean better = this == AVERAGE ? mean[c] > mean[pick]
                        : votes[c] > votes[pick] || (votes[c] == votes[pick] && mean[c] > mean[pick]);
                if (better) {
                    pick = c;
                }
            }
            out[i] = pick;
        }
        return out;
    }

    /** The ensemble measured against {@code truth}. */
    public ClassificationMetrics measure(List<float[]> probabilities, int[] truth, int classes) {
        return measure(probabilities, truth, classes, null);
    }

    /** The ensemble measured against {@code truth}, broken down by {@code groups} when given (null: not). */
    public ClassificationMetrics measure(List<float[]> probabilities, int[] truth, int classes,
            dev.graft.data.Groups groups) {
        return ClassificationMetrics.of(truth, predict(probabilities, truth.length, classes), classes, Double.NaN,
                groups);
    }

    /** Softmax of {@code [N × K]} logits, row by row. */
    public static float[] softmax(float[] logits, int classes) {
        float[] out = new float[logits.length];
        for (int i = 0; i < logits.length / classes; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, logits[i * classes + c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(logits[i * classes + c] - max);
            }
            for (int c = 0; c < classes; c++) {
                out[i * classes + c] = (float) (Math.exp(logits[i * classes + c] - max) / sum);
            }
        }
        return out;
    }
}
