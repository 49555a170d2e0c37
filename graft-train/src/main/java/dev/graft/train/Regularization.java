package dev.graft.train;

/**
 * Penalties added to the loss. Applied to weights of linear and convolution layers (not biases or
 * norms), as weight decay usually is.
 *
 * @param l1 λ in λ·Σ|w|
 * @param l2 λ in λ/2·Σw²
 * @param l2spAlpha α in α/2·Σ(w − w⁰)² over transferred weights (L2-SP, Li et al. 2018)
 * @param l2spBeta β in β/2·Σw² over re-initialized weights (L2-SP's penalty on new layers)
 */
public record Regularization(double l1, double l2, double l2spAlpha, double l2spBeta) {
    public static final Regularization NONE = new Regularization(0, 0, 0, 0);

    public Regularization {
        if (l1 < 0 || l2 < 0 || l2spAlpha < 0 || l2spBeta < 0) {
            throw new IllegalArgumentException("penalties must not be negative");
        }
    }

    public boolean any() {
        return l1 > 0 || l2 > 0 || l2spAlpha > 0 || l2spBeta > 0;
    }
}
