package dev.graft.train;

/** The update rules Graft implements, with PyTorch's semantics. */
public enum OptimizerKind {
    /** {@code w -= lr·g}. */
    SGD,
    /** Heavy ball: {@code v = μv + g; w -= lr·v}. */
    MOMENTUM,
    /** {@code v = μv + g; w -= lr·(g + μv)}. */
    NESTEROV,
    /** Kingma and Ba, with bias correction; weight decay added to the gradient. */
    ADAM,
    /** Adam with decoupled weight decay (Loshchilov and Hutter): {@code w -= lr·wd·w} first. */
    ADAMW,
    /** {@code s = αs + (1-α)g²; w -= lr·g/(√s + ε)}. */
    RMSPROP,
    /** {@code s += g²; w -= lr·g/(√s + ε)}. */
    ADAGRAD
}
