package dev.graft.train;

/**
 * An optimizer and its hyper-parameters. Defaults follow PyTorch.
 *
 * @param kind the update rule
 * @param lr the base learning rate
 * @param momentum μ for MOMENTUM and NESTEROV
 * @param beta1 Adam's first-moment decay
 * @param beta2 Adam's second-moment decay
 * @param eps the denominator's guard (Adam 1e-8, RMSProp 1e-8, Adagrad 1e-10 by default)
 * @param alpha RMSProp's smoothing constant
 * @param weightDecay L2 weight decay (decoupled for ADAMW, added to the gradient otherwise)
 */
public record OptimizerConfig(OptimizerKind kind, double lr, double momentum, double beta1, double beta2,
        double eps, double alpha, double weightDecay) {

    public OptimizerConfig {
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + lr);
        }
        if (weightDecay < 0 || momentum < 0 || momentum >= 1) {
            throw new IllegalArgumentException("weight decay must be >= 0 and momentum in [0, 1)");
        }
    }

    /** PyTorch's defaults for {@code kind} at learning rate {@code lr}. */
    public static OptimizerConfig defaults(OptimizerKind kind, double lr) {
        double eps = kind == OptimizerKind.ADAGRAD ? 1e-10 : 1e-8;
        double wd = kind == OptimizerKind.ADAMW ? 0.01 : 0;
        return new OptimizerConfig(kind, lr, 0.9, 0.9, 0.999, eps, 0.99, wd);
    }

    public OptimizerConfig withWeightDecay(double wd) {
        return new OptimizerConfig(kind, lr, momentum, beta1, beta2, eps, alpha, wd);
    }

    public OptimizerConfig withLr(double newLr) {
        return new OptimizerConfig(kind, newLr, momentum, beta1, beta2, eps, alpha, weightDecay);
    }
}
