package dev.graft.train;

import ai.djl.ndarray.NDArray;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Graft's own optimizer: per-tensor learning-rate multipliers and element masks, which DJL's
 * optimizers lack. Updates run on the engine, in place, outside any gradient collector; the
 * gradient is read from the weight and then zeroed, since DJL otherwise accumulates it.
 *
 * <p>State arrays (moments) are created on the weight's manager the first time a tensor is seen,
 * so per-step scopes never close them. Not thread-safe.
 */
public final class Optimizer {
    private final OptimizerConfig config;
    private final Map<String, NDArray[]> state = new HashMap<>();
    private final Map<String, Integer> steps = new HashMap<>();

    public Optimizer(OptimizerConfig config) {
        this.config = config;
    }

    public OptimizerConfig config() {
        return config;
    }

    /**
     * Applies one update to every parameter, with the gradients currently stored on the weights,
     * then zeroes those gradients.
     *
     * @param lr the scheduled learning rate (before each tensor's multiplier)
     */
    public void step(List<TrainableParam> params, double lr) {
        for (TrainableParam p : params) {
            NDArray grad = p.weight().getGradient();
            update(p, grad, lr);
            grad.subi(grad);
        }
    }

    /** One update of {@code p} with gradient {@code g}; {@code g} is not modified. */
    public void update(TrainableParam p, NDArray g, double lr) {
        NDArray w = p.weight();
        double rate = lr * p.lrMultiplier();
        double wd = p.decay() ? config.weightDecay() : 0;
        int t = steps.merge(p.name(), 1, Integer::sum);
        NDArray grad = g;
        boolean coupledDecay = wd > 0 && config.kind() != OptimizerKind.ADAMW;
        if (coupledDecay) {
            grad = g.add(w.mul(wd));
        }
        NDArray delta;
        switch (config.kind()) {
            case SGD -> delta = grad.mul(rate);
            case MOMENTUM, NESTEROV -> {
                NDArray[] s = state(p, 1);
                if (t == 1) {
                    s[0].addi(grad);
                } else {
                    s[0].muli(config.momentum()).addi(grad);
                }
                delta = config.kind() == OptimizerKind.NESTEROV
                        ? grad.add(s[0].mul(config.momentum())).muli(rate) : s[0].mul(rate);
            }
            case ADAM, ADAMW -> {
                NDArray[] s = state(p, 2);
                s[0].muli(config.beta1()).addi(grad.mul(1 - config.beta1()));
                s[1].muli(config.beta2()).addi(grad.square().muli(1 - config.beta2()));
                double c1 = 1 - Math.pow(config.beta1(), t);
                double c2 = 1 - Math.pow(config.beta2(), t);
                NDArray denom = s[1].div(c2).sqrt().addi(config.eps());
                delta = s[0].div(denom).muli(rate / c1);
                if (config.kind() == OptimizerKind.ADAMW && wd > 0) {
                    delta.addi(w.mul(rate * wd));
                }
            }
            case RMSPROP -> {
                NDArray[] s = state(p, 1);
                s[0].muli(config.alpha()).addi(grad.square().muli(1 - config.alpha()));
                delta = grad.div(s[0].sqrt().addi(config.eps())).muli(rate);
            }
            case ADAGRAD -> {
                NDArray[] s = state(p, 1);
                s[0].addi(grad.square());
                delta = grad.div(s[0].sqrt().addi(config.eps())).muli(rate);
            }
            default -> throw new IllegalStateException(config.kind().toString());
        }
        if (p.mask() != null) {
            delta.muli(p.mask());
        }
        w.subi(delta);
    }

    /**
     * Frees the optimizer's state (moments, velocities). They live on the model's manager, so
     * without this a model fine-tuned many times (Reptile's inner loops) would keep every run's.
     */
    public void release() {
        for (NDArray[] s : state.values()) {
            for (NDArray a : s) {
                a.close();
            }
        }
        state.clear();
        steps.clear();
    }

    private NDArray[] state(TrainableParam p, int n) {
        return state.computeIfAbsent(p.name(), k -> {
            NDArray[] s = new NDArray[n];
            for (int i = 0; i < n; i++) {
                s[i] = p.weight().getManager().zeros(p.weight().getShape());
                // state outlives the step: keep it out of the step's NDScope
                ai.djl.ndarray.NDScope.unregister(s[i]);
            }
            return s;
        });
    }
}
