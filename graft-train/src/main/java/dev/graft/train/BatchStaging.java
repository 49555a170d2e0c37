package dev.graft.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Copies a step's batch into the engine through one direct buffer kept for the whole run.
 *
 * <p>Why: {@code NDManager.create(float[], Shape)} allocates a fresh direct {@code ByteBuffer}
 * per call and hands it to libtorch without a copy ({@code torch::from_blob}); the buffer's memory
 * goes back only when the garbage collector runs its cleaner, so a training loop's resident memory
 * climbed by one batch per step until a collection (issue 18: 350-414 MB over 1,200 MLP steps of
 * 128 × 784 floats, then flat). Here the batch is written into a buffer that is reused, wrapped,
 * and copied once into libtorch's own memory ({@code duplicate}), so the array returned shares
 * nothing with the buffer and the next step may overwrite it. Not thread-safe; one per training run.
 */
final class BatchStaging {
    private ByteBuffer buffer;

    /**
     * A float32 array of {@code shape} on {@code manager} holding {@code values}.
     *
     * @param values {@code shape.size()} floats, in row-major order
     * @throws IllegalArgumentException if the sizes disagree
     */
    NDArray create(NDManager manager, float[] values, Shape shape) {
        if (shape.size() != values.length) {
            throw new IllegalArgumentException(values.length + " values for shape " + shape);
        }
        int bytes = values.length * Float.BYTES;
        if (buffer == null || buffer.capacity() < bytes) {
            buffer = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        }
        buffer.clear();
        buffer.asFloatBuffer().put(values);
        buffer.limit(bytes);
        try (NDArray view = manager.create(buffer.slice().order(ByteOrder.nativeOrder()), shape, DataType.FLOAT32)) {
            return view.duplicate();
        }
    }
}
