package dev.graft.robust;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.graft.data.Examples;
import dev.graft.model.GraftModel;

/** Accuracy on adversarial versions of a dataset's samples. */
public final class RobustAccuracy {
    private RobustAccuracy() {}

    /**
     * The share of samples still classified correctly after {@code attack} perturbs each (within
     * its ε-ball and {@code range}). Costs {@code steps} forward-backward passes and one forward
     * pass per sample. Opens a gradient collector per step: call it outside training.
     *
     * @param data the samples, normalized as the model was trained ({@code [N, ...]})
     * @return the accuracy in [0, 1], or NaN for an empty set
     */
    public static double of(GraftModel model, Examples data, Attack attack, InputRange range, int batchSize) {
        if (data.size() == 0) {
            return Double.NaN;
        }
        int k = data.classes();
        int correct = 0;
        for (int start = 0; start < data.size(); start += batchSize) {
            int n = Math.min(batchSize, data.size() - start);
            try (NDManager m = model.manager().newSubManager()) {
                NDArray x = m.create(data.features(start, n), new Shape(data.batchShape(n)));
                float[] hot = new float[n * k];
                for (int i = 0; i < n; i++) {
                    hot[i * k + data.labels()[start + i]] = 1f;
                }
                NDArray adv = attack.perturb(model, x, m.create(hot, new Shape(n, k)), range);
                long[] pred = model.predict(adv).argMax(1).toLongArray();
                for (int i = 0; i < n; i++) {
                    if (pred[i] == data.labels()[start + i]) {
                        correct++;
                    }
                }
            }
        }
        return (double) correct / data.size();
    }
}
