package dev.graft.robust;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.graft.model.GraftModel;
import java.util.Locale;

/**
 * An L∞ evasion attack on a classifier's inputs, in the units of the normalized inputs the model
 * reads. FGSM (Goodfellow, Shlens and Szegedy 2015, "Explaining and harnessing adversarial
 * examples") takes one step x' = x + ε·sign(∇ₓL); PGD (Madry et al. 2018, "Towards deep learning
 * models resistant to adversarial attacks") takes {@code steps} steps of {@code stepSize}, each
 * projected back onto the ε-ball around x. Every step is also clamped into the valid input range.
 * L is the softmax cross-entropy of the true label. PGD starts at x itself rather than at Madry et
 * al.'s random point in the ball, so an attack repeats exactly.
 *
 * @param method FGSM or PGD
 * @param eps the L∞ radius ε, in normalized input units (≥ 0)
 * @param steps the number of gradient steps (1 for FGSM)
 * @param stepSize each step's size, in normalized input units (ε for FGSM)
 */
public record Attack(Method method, double eps, int steps, double stepSize) {

    /** The attack's kind. */
    public enum Method {
        /** One signed-gradient step of ε. */
        FGSM,
        /** Projected gradient descent: iterated signed-gradient steps kept in the ε-ball. */
        PGD;

        /** The method named in an experiment file ({@code fgsm} or {@code pgd}), or null for another name. */
        public static Method named(String name) {
            for (Method m : values()) {
                if (m.name().equalsIgnoreCase(name)) {
                    return m;
                }
            }
            return null;
        }
    }

    /**
     * @throws IllegalArgumentException if ε is negative or not finite, steps is below 1 (or not 1
     *     for FGSM), or the step size is negative, not finite, or 0 for PGD with ε > 0
     */
    public Attack {
        if (!(eps >= 0) || !Double.isFinite(eps)) {
            throw new IllegalArgumentException("eps must be a finite number ≥ 0, got " + eps);
        }
        if (steps < 1 || (method == Method.FGSM && steps != 1)) {
            throw new IllegalArgumentException("steps must be at least 1 (exactly 1 for fgsm), got " + steps);
        }
        if (!(stepSize >= 0) || !Double.isFinite(stepSize) || (method == Method.PGD && eps > 0 && stepSize == 0)) {
            throw new IllegalArgumentException("step_size must be a finite number > 0, got " + stepSize);
        }
    }

    /** FGSM of radius ε. */
    public static Attack fgsm(double eps) {
        return new Attack(Method.FGSM, eps, 1, eps);
    }

    /** PGD of radius ε, with {@code steps} steps of {@code stepSize}. */
    public static Attack pgd(double eps, int steps, double stepSize) {
        return new Attack(Method.PGD, eps, steps, stepSize);
    }

    /**
     * The adversarial version of a batch. The model runs in inference mode (BatchNorm's running
     * statistics, no dropout). Opens a gradient collector: call it when no other is open (one per
     * JVM, so never inside a training step; adversarial training calls it before the step opens
     * its own). Its backward passes add to the gradients stored on the model's weights; a caller
     * that then trains zeroes them first ({@link dev.graft.train.AdversarialTraining#inputs}).
     *
     * @param x inputs {@code [N, ...]}, normalized, inside {@code range}
     * @param onehot the true labels one-hot, {@code [N, K]}
     * @return the adversarial inputs, {@code [N, ...]}, in x's manager: within ε of x in every
     *     element, and inside {@code range}
     */
    public NDArray perturb(GraftModel model, NDArray x, NDArray onehot, InputRange range) {
        if (eps == 0) {
            return x.duplicate();
        }
        float step = (float) (method == Method.FGSM ? eps : stepSize);
        NDArray lower = x.sub((float) eps);
        NDArray upper = x.add((float) eps);
        NDArray adv = x.duplicate();
        for (int s = 0; s < steps; s++) {
            NDArray moved = adv.add(inputGradient(model, adv, onehot).sign().mul(step));
            // the ball and the range are both boxes: clipping to one and then the other is the
            // projection onto their intersection, which holds x
            adv = range.clamp(moved.maximum(lower).minimum(upper));
        }
        return adv;
    }

    /**
     * ∂L/∂x of the summed softmax cross-entropy L = −Σᵢ log softmax(f(xᵢ))[yᵢ], in inference mode.
     *
     * @param x inputs {@code [N, ...]}
     * @param onehot labels one-hot {@code [N, K]}
     * @return the gradient, {@code [N, ...]}, in x's manager
     */
    public static NDArray inputGradient(GraftModel model, NDArray x, NDArray onehot) {
        NDArray in = x.duplicate();
        in.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray logits = model.block().forward(new ParameterStore(x.getManager(), false), new NDList(in), false)
                    .singletonOrThrow();
            NDArray loss = logits.logSoftmax(1).mul(onehot).sum().neg();
            gc.backward(loss);
        }
        // copied out: the gradient lives on the input, which the next step replaces
        return in.getGradient().duplicate();
    }

    /** The attack in words, for tables and logs: {@code fgsm ε=0.1} or {@code pgd ε=0.1, 10×0.025}. */
    public String describe() {
        return method == Method.FGSM ? String.format(Locale.ROOT, "fgsm ε=%s", eps)
                : String.format(Locale.ROOT, "pgd ε=%s, %d×%s", eps, steps, stepSize);
    }
}
