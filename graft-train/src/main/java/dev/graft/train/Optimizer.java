package dev.graft.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
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
 *
 * <p>Cost (issue 18's profile: the update was 55 % of an MLP step and 19 % of the CNN's). Each
 * update is a chain of element-wise libtorch calls; what made it dear besides the arithmetic was
 * the constants and temporaries around it. DJL turns every {@code Number} operand into a fresh
 * 0-d tensor over a Java direct buffer (allocated, wrapped and freed per call: 8 per tensor for
 * Adam), and every non-in-place op allocates a tensor as large as the weight, which the step's
 * scope kept alive until the step ended, so each one landed in memory not in cache (and above
 * 32 MB, glibc's mmap threshold as Graft sets it, in freshly mapped pages). Here each constant is
 * made once (per run or per step) and shared by every tensor, {@link #step} scales the gradient in
 * place (it zeroes it afterwards anyway), and temporaries are closed as soon as they are read.
 * The arithmetic is the same operations in the same order on the same float32 values as before,
 * so the updates are bit for bit those of the earlier one-temporary-per-op code (OptimizerTest).
 */
public final class Optimizer {
    private final OptimizerConfig config;
    private final Map<String, NDArray[]> state = new HashMap<>();
    private final Map<String, Integer> steps = new HashMap<>();
    /** 0-d constants that hold for the whole run (β's, ε, μ, α, weight decay), by value. */
    private final Map<Double, NDArray> runConstants = new HashMap<>();

    public Optimizer(OptimizerConfig config) {
        this.config = config;
    }

    public OptimizerConfig config() {
        return config;
    }

    /**
     * Applies one update to every parameter, with the gradients currently stored on the weights,
     * then zeroes those gradients. A gradient is used as scratch space before it is zeroed.
     *
     * @param lr the scheduled learning rate (before each tensor's multiplier)
     */
    public void step(List<TrainableParam> params, double lr) {
        if (params.isEmpty()) {
            return;
        }
        try (Constants c = new Constants(params.get(0).weight().getManager())) {
            for (TrainableParam p : params) {
                NDArray grad = p.weight().getGradient();
                apply(p, grad, lr, c);
                grad.subi(grad);
            }
        }
    }

    /** One update of {@code p} with gradient {@code g}; {@code g} is not modified. */
    public void update(TrainableParam p, NDArray g, double lr) {
        try (Constants c = new Constants(p.weight().getManager()); NDArray scratch = g.duplicate()) {
            apply(p, scratch, lr, c);
        }
    }

    /** Updates {@code p.weight()} in place; {@code grad} is overwritten (scratch). */
    private void apply(TrainableParam p, NDArray grad, double lr, Constants c) {
        NDArray w = p.weight();
        double rate = lr * p.lrMultiplier();
        double wd = p.decay() ? config.weightDecay() : 0;
        int t = steps.merge(p.name(), 1, Integer::sum);
        if (wd > 0 && config.kind() != OptimizerKind.ADAMW) {
            // coupled decay: g + w·wd, summed into the gradient's own buffer
            try (NDArray decay = w.mul(c.run(wd))) {
                grad.addi(decay);
            }
        }
        NDArray delta;
        switch (config.kind()) {
            case SGD -> delta = grad.muli(c.step(rate));
            case MOMENTUM, NESTEROV -> {
                NDArray[] s = state(p, 1);
                if (t == 1) {
                    s[0].addi(grad);
                } else {
                    s[0].muli(c.run(config.momentum())).addi(grad);
                }
                if (config.kind() == OptimizerKind.NESTEROV) {
                    try (NDArray v = s[0].mul(c.run(config.momentum()))) {
                        delta = grad.addi(v).muli(c.step(rate));
                    }
                } else {
                    delta = s[0].mul(c.step(rate));
                }
            }
            case ADAM, ADAMW -> {
                NDArray[] s = state(p, 2);
                try (NDArray g2 = grad.square()) {
                    s[1].muli(c.run(config.beta2())).addi(g2.muli(c.run(1 - config.beta2())));
                }
                s[0].muli(c.run(config.beta1())).addi(grad.muli(c.run(1 - config.beta1())));
                double c1 = 1 - Math.pow(config.beta1(), t);
                double c2 = 1 - Math.pow(config.beta2(), t);
                NDArray denom;
                try (NDArray vhat = s[1].div(c.step(c2))) {
                    denom = vhat.sqrt().addi(c.run(config.eps()));
                }
                delta = s[0].div(denom).muli(c.step(rate / c1));
                denom.close();
                if (config.kind() == OptimizerKind.ADAMW && wd > 0) {
                    try (NDArray decay = w.mul(c.step(rate * wd))) {
                        delta.addi(decay);
                    }
                }
            }
            case RMSPROP -> {
                NDArray[] s = state(p, 1);
                try (NDArray g2 = grad.square()) {
                    s[0].muli(c.run(config.alpha())).addi(g2.muli(c.run(1 - config.alpha())));
                }
                delta = divideByRoot(grad, s[0], c).muli(c.step(rate));
            }
            case ADAGRAD -> {
                NDArray[] s = state(p, 1);
                try (NDArray g2 = grad.square()) {
                    s[0].addi(g2);
                }
                delta = divideByRoot(grad, s[0], c).muli(c.step(rate));
            }
            default -> throw new IllegalStateException(config.kind().toString());
        }
        if (p.mask() != null) {
            delta.muli(p.mask());
        }
        w.subi(delta);
        if (delta != grad) {
            delta.close();
        }
    }

    /** {@code g / (√s + ε)}, into {@code g}. */
    private NDArray divideByRoot(NDArray g, NDArray s, Constants c) {
        try (NDArray root = s.sqrt()) {
            return g.divi(root.addi(c.run(config.eps())));
        }
    }

    /**
     * Frees the optimizer's state (moments, velocities) and constants. They live on the model's
     * manager, so without this a model fine-tuned many times (Reptile's inner loops) would keep
     * every run's.
     */
    public void release() {
        for (NDArray[] s : state.values()) {
            for (NDArray a : s) {
                a.close();
            }
        }
        state.clear();
        steps.clear();
        runConstants.values().forEach(NDArray::close);
        runConstants.clear();
    }

    private NDArray[] state(TrainableParam p, int n) {
        return state.computeIfAbsent(p.name(), k -> {
            NDArray[] s = new NDArray[n];
            for (int i = 0; i < n; i++) {
                s[i] = p.weight().getManager().zeros(p.weight().getShape());
                // state outlives the step: keep it out of the step's NDScope
                NDScope.unregister(s[i]);
            }
            return s;
        });
    }

    /**
     * The 0-d operands of one step, made once each, as float32 0-d tensors: the value libtorch
     * computes with when DJL passes a {@code Double} operand ({@code NDManager.create(double)}, a
     * float64 0-d tensor, rounded to the weight's float32 on every use), so the arithmetic is that
     * of {@code x.mul(value)}; made float32 here, the rounding happens once instead of as an
     * {@code aten::to} copy inside every operation (issue 18's operator profile: four engine calls
     * per use, about 7 uses per tensor per Adam step).
     */
    private final class Constants implements AutoCloseable {
        private final NDManager manager;
        private final Map<Double, NDArray> perStep = new HashMap<>();

        Constants(NDManager manager) {
            this.manager = manager;
        }

        /** A constant of the whole run, kept until {@link #release}. */
        NDArray run(double value) {
            return runConstants.computeIfAbsent(value, this::make);
        }

        /** A constant of this step (a learning rate, a bias correction), closed with it. */
        NDArray step(double value) {
            return perStep.computeIfAbsent(value, this::make);
        }

        private NDArray make(double value) {
            NDArray a = manager.create((float) value);
            // constants outlive the temporaries of the step's NDScope, and are closed here
            NDScope.unregister(a);
            return a;
        }

        @Override
        public void close() {
            perStep.values().forEach(NDArray::close);
        }
    }
}
