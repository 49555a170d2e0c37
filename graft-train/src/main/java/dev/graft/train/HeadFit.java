package dev.graft.train;

/**
 * How a linear head on a frozen trunk is trained ({@code train.head_fit}).
 *
 * <ul>
 *   <li>{@code AUTO}: {@code CONVERGED} whenever the transfer freezes every tensor but a linear
 *       head's (feature extraction, such as {@code head_only}), {@code GRADIENT} otherwise.
 *   <li>{@code GRADIENT}: the fine-tuning loop's epochs of minibatch steps, like every other tensor.
 *   <li>{@code CONVERGED}: L2-regularized logistic regression fitted to its minimum on the frozen
 *       trunk's features, computed once ({@link LogisticHead}).
 * </ul>
 */
public enum HeadFit {
    AUTO, GRADIENT, CONVERGED
}
