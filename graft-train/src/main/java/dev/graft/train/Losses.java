package dev.graft.train;

import ai.djl.ndarray.NDArray;

/**
 * Cross-entropy against soft targets with per-class weights:
 * {@code Σᵢ Σ_c w_c·q_ic·(−log p_ic) / Σᵢ Σ_c w_c·q_ic}. With one-hot targets this is PyTorch's
 * weighted {@code cross_entropy} (mean over Σ w_{yᵢ}); without weights it is the plain mean, label
 * smoothing included.
 */
public final class Losses {
    private Losses() {}

    /**
     * @param logits {@code [N, K]}
     * @param targets {@code [N, K]} class distributions
     * @param classWeights {@code [K]}
     * @return the scalar loss
     */
    public static NDArray crossEntropy(NDArray logits, NDArray targets, NDArray classWeights) {
        NDArray logp = logits.logSoftmax(1);
        NDArray wq = targets.mul(classWeights.reshape(1, -1));
        return wq.mul(logp).sum().neg().div(wq.sum());
    }

    /** One-hot targets with label smoothing ε: {@code (1 − ε)·onehot + ε/K}. */
    public static float[] targets(int[] labels, int classes, double smoothing) {
        float[] q = new float[labels.length * classes];
        float off = (float) (smoothing / classes);
        java.util.Arrays.fill(q, off);
        for (int i = 0; i < labels.length; i++) {
            q[i * classes + labels[i]] += (float) (1 - smoothing);
        }
        return q;
    }
}
