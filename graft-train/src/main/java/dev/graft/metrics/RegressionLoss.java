package dev.graft.metrics;

import ai.djl.ndarray.NDArray;
import dev.graft.engine.Scalars;
import java.util.Locale;

/**
 * The loss a regression trains on, on standardized targets (as PyTorch's {@code mse_loss},
 * {@code l1_loss} and {@code huber_loss}, each the mean over samples):
 * MSE {@code mean((ŷ − y)²)}, MAE {@code mean(|ŷ − y|)}, and Huber with threshold δ
 * {@code mean(½d² if |d| < δ else δ(|d| − ½δ))}, {@code d = ŷ − y} (Huber 1964; PyTorch's
 * {@code torch.nn.functional.huber_loss}).
 *
 * @param kind which loss
 * @param delta Huber's δ in standardized units (positive; ignored by the others)
 */
public record RegressionLoss(Kind kind, double delta) {

    /** The loss functions. */
    public enum Kind { MSE, MAE, HUBER }

    /** Mean squared error. */
    public static final RegressionLoss MSE = new RegressionLoss(Kind.MSE, 1);

    public RegressionLoss {
        java.util.Objects.requireNonNull(kind, "kind");
        if (!(delta > 0) || !Double.isFinite(delta)) {
            throw new IllegalArgumentException("huber_delta must be a positive number, got " + delta);
        }
    }

    /**
     * The mean loss of {@code predicted} against {@code target}, as the engine computes it (for
     * training, with gradients).
     *
     * @param predicted {@code [N, 1]} (or any shape equal to {@code target}'s)
     * @param target standardized targets, the same shape
     * @return the scalar loss
     */
    public NDArray of(NDArray predicted, NDArray target) {
        NDArray d = predicted.sub(target);
        return switch (kind) {
            case MSE -> d.square().mean();
            case MAE -> d.abs().mean();
            case HUBER -> {
                NDArray a = d.abs();
                // min(|d|, δ) is the quadratic part; the rest of |d| grows linearly: ½q² + δ(|d| − q).
                // Constants through Scalars: autograd keeps them for the backward pass
                NDArray dl = Scalars.of(a, delta);
                NDArray q = a.minimum(dl);
                yield q.square().mul(Scalars.of(q, 0.5)).add(a.sub(q).mul(dl)).mean();
            }
        };
    }

    /** One sample's loss at difference {@code d = ŷ − y} (standardized units). */
    public double of(double d) {
        double a = Math.abs(d);
        return switch (kind) {
            case MSE -> d * d;
            case MAE -> a;
            case HUBER -> a < delta ? 0.5 * d * d : delta * (a - 0.5 * delta);
        };
    }

    /** The loss's derivative with respect to ŷ at {@code d = ŷ − y}, for one sample (0 at MAE's kink). */
    public double gradient(double d) {
        return switch (kind) {
            case MSE -> 2 * d;
            case MAE -> Math.signum(d);
            case HUBER -> Math.abs(d) <= delta ? d : delta * Math.signum(d);
        };
    }

    /** As written in YAML: {@code mse}, {@code mae} or {@code huber}. */
    public String keyword() {
        return kind.name().toLowerCase(Locale.ROOT);
    }
}
