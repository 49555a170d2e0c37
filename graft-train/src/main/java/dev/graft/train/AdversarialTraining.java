package dev.graft.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.graft.model.GraftModel;
import dev.graft.robust.Attack;
import dev.graft.robust.InputRange;
import java.util.Objects;

/**
 * Adversarial fine-tuning: every step also (or only) trains on adversarial versions of its batch,
 * made against the current weights by {@link Attack} with the ε-ball and valid-range clamping the
 * robust-accuracy metric uses. The loss is
 * {@code (1 − mix)·CE(f(x), q) + mix·CE(f(x'), q)} with {@code x' = attack(x)}: Goodfellow, Shlens
 * and Szegedy (2015, "Explaining and harnessing adversarial examples") train on half clean, half
 * FGSM ({@code mix} 0.5); Madry et al. (2018) on PGD examples alone ({@code mix} 1).
 *
 * <p>The attack runs in inference mode (BatchNorm's running statistics, no dropout), exactly as
 * the robust-accuracy metric attacks the finished model: a train-mode attack would move BatchNorm's
 * running statistics once per attack step with perturbed batches, and draw dropout masks the step
 * then does not use. It opens its own gradient collector, before the step opens the training
 * one (DJL allows one at a time, so the two never nest), and its backward pass leaves gradients on
 * the weights, which {@link #inputs} zeroes before the step. With {@code 0 < mix < 1} the clean and
 * adversarial samples go through the model as one batch of 2N (as Kurakin, Goodfellow and Bengio
 * 2017 do), so BatchNorm's batch statistics see both.
 *
 * @param attack FGSM or PGD, ε and steps in normalized input units; null when adversarial training is off
 * @param mix the adversarial loss's weight, in (0, 1]: 1 trains on adversarial examples only
 * @param range the values an input may take (the data's, by {@link InputRange#of}); adversarial
 *     examples are clamped into it
 */
public record AdversarialTraining(Attack attack, double mix, InputRange range) {

    /** Off: the step trains on its batch as it is. */
    public static final AdversarialTraining OFF = new AdversarialTraining(null, 1, InputRange.unbounded());

    /**
     * @throws IllegalArgumentException if mix is not in (0, 1]
     * @throws NullPointerException if range is null
     */
    public AdversarialTraining {
        if (!(mix > 0 && mix <= 1)) {
            throw new IllegalArgumentException("mix must be in (0, 1], got " + mix);
        }
        Objects.requireNonNull(range, "range");
    }

    /** Whether steps train on adversarial examples. */
    public boolean on() {
        return attack != null;
    }

    /** The same setting with {@code r} as the valid input range (the data's). */
    public AdversarialTraining withRange(InputRange r) {
        return new AdversarialTraining(attack, mix, r);
    }

    /**
     * The batch a step trains on: x' (mix 1), or x followed by x' along the batch axis. Runs the
     * attack against the model's current weights, then zeroes every gradient its backward passes
     * left on the weights, so that the step's update holds the training loss's gradient alone. Call
     * it outside any gradient collector.
     *
     * @param x the step's inputs {@code [N, ...]}, normalized, inside {@link #range}
     * @param q the step's targets {@code [N, K]} (one-hot, or smoothed or mixed): the attack ascends
     *     the same cross-entropy the step descends
     * @return {@code [N, ...]} or {@code [2N, ...]}, in x's manager; every adversarial sample
     *     within ε of its clean sample in every element, and inside the range
     */
    public NDArray inputs(GraftModel model, NDArray x, NDArray q) {
        NDArray adversarial = attack.perturb(model, x, q, range);
        for (Parameter p : model.parameters().values()) {
            NDArray w = p.getArray();
            if (w.hasGradient()) {
                NDArray g = w.getGradient();
                g.subi(g);
            }
        }
        return mix == 1 ? adversarial : x.concat(adversarial, 0);
    }

    /**
     * The step's label loss on the logits of {@link #inputs}: CE on the adversarial half weighted
     * by mix, plus CE on the clean half weighted by 1 − mix (each a weighted mean over its N
     * samples, as {@link Losses#crossEntropy}).
     *
     * @param logits {@code [N, K]} (mix 1) or {@code [2N, K]}, clean rows first
     * @param q the targets {@code [N, K]}
     * @param classWeights {@code [K]}
     */
    public NDArray loss(NDArray logits, NDArray q, NDArray classWeights) {
        if (mix == 1) {
            return Losses.crossEntropy(logits, q, classWeights);
        }
        long n = q.getShape().get(0);
        long k = q.getShape().get(1);
        NDArray halves = logits.reshape(new Shape(2, n, k));
        NDArray clean = Losses.crossEntropy(halves.get(0), q, classWeights);
        NDArray adversarial = Losses.crossEntropy(halves.get(1), q, classWeights);
        return clean.mul((float) (1 - mix)).add(adversarial.mul((float) mix));
    }
}
