package dev.graft.train;

/**
 * Penalties added to the loss. Applied to weights of linear and convolution layers (not biases or
 * norms), as weight decay usually is.
 *
 * @param l1 λ in λ·Σ|w|
 * @param l2 λ in λ/2·Σw²
 * @param l2spAlpha α in α/2·Σ(w − w⁰)² over transferred weights (L2-SP, Li et al. 2018)
 * @param l2spBeta β in β/2·Σw² over re-initialized weights (L2-SP's penalty on new layers)
 * @param lwf λ of Learning without Forgetting (0: off); needs the experiment's source task
 * @param lwfTemperature its temperature T (the paper's 2)
 * @param ewc λ of elastic weight consolidation (0: off); needs the experiment's source task
 */
public record Regularization(double l1, double l2, double l2spAlpha, double l2spBeta, double lwf,
        double lwfTemperature, double ewc) {
    public static final Regularization NONE = new Regularization(0, 0, 0, 0);

    public Regularization {
        if (l1 < 0 || l2 < 0 || l2spAlpha < 0 || l2spBeta < 0 || lwf < 0 || ewc < 0 || !(lwfTemperature > 0)) {
            throw new IllegalArgumentException("penalties must not be negative, and the LwF temperature positive");
        }
    }

    /** The weight penalties alone, source protection off. */
    public Regularization(double l1, double l2, double l2spAlpha, double l2spBeta) {
        this(l1, l2, l2spAlpha, l2spBeta, 0, 2, 0);
    }

    /** Whether a weight penalty (L1, L2, L2-SP) applies. */
    public boolean any() {
        return l1 > 0 || l2 > 0 || l2spAlpha > 0 || l2spBeta > 0;
    }

    /** Whether a term protects the source task (LwF, EWC). */
    public boolean protectsSource() {
        return lwf > 0 || ewc > 0;
    }

    /** These penalties with LwF and EWC as given. */
    public Regularization withSourceProtection(double lwf, double lwfTemperature, double ewc) {
        return new Regularization(l1, l2, l2spAlpha, l2spBeta, lwf, lwfTemperature, ewc);
    }
}
