package dev.graft.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * Constants for arithmetic inside a differentiated forward pass.
 *
 * <p>Why not {@code x.mul(0.5)}: DJL's PyTorch engine turns the {@code Number} into a 0-d tensor
 * over a Java direct buffer ({@code torch::from_blob}, no copy) and closes it as soon as the op
 * returns. When {@code x} requires a gradient, autograd keeps that 0-d tensor for the backward pass
 * (the divisor of {@code div}, the factor of {@code mul}); once closed, its buffer belongs to the
 * Java garbage collector, and a collection between the forward and the backward pass frees it
 * under libtorch's feet: the backward reads freed memory and the step's gradients are garbage (a
 * MiniLM fine-tune turned NaN at the step during which a young GC ran, in 3 runs of 5). A constant
 * from here is attached to {@code x}'s manager instead, so it lives until the step's arrays are
 * closed, after the backward pass.
 */
public final class Scalars {
    private Scalars() {}

    /** {@code value} as a 0-d array of {@code like}'s type, on {@code like}'s manager. */
    public static NDArray of(NDArray like, double value) {
        NDManager m = like.getManager();
        return like.getDataType() == DataType.FLOAT64 ? m.create(value)
                : m.create((float) value).toType(like.getDataType(), false);
    }
}
