package dev.graft.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.graft.model.GraftModel;

/**
 * A term of the training loss beyond the labels and weight penalties: protection of the source
 * task (Learning without Forgetting, EWC). The loop calls {@link #start} once, then
 * {@link #loss} in every step after the forward pass, inside the gradient collector.
 */
public interface LossTerm {
    /** Prepares for a run on {@code model} as transferred; {@code run} lives as long as the run. */
    void start(GraftModel model, NDManager run);

    /** This step's term for the batch input {@code x}, on which the model has just given {@code logits}. */
    NDArray loss(GraftModel model, NDArray x, NDArray logits);

    /** The weight this term leaves the labels' cross-entropy (distillation mixes the two); 1 by default. */
    default double labelWeight() {
        return 1;
    }

    /**
     * Called after the optimizer's step (outside the gradient collector), for terms that train
     * parameters of their own (an adversary's).
     *
     * @param lr the step's scheduled learning rate
     */
    default void afterStep(double lr) {
    }

    /** Releases what {@link #start} made. */
    default void finish() {
    }
}
