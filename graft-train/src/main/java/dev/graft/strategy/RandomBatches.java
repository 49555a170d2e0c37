package dev.graft.strategy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.graft.data.Examples;
import java.util.SplittableRandom;

/** Batches of images drawn with replacement from a set whose labels are never read. */
final class RandomBatches {
    private final Examples images;
    private final int size;
    private final SplittableRandom rnd;

    RandomBatches(Examples images, int size, SplittableRandom rnd) {
        this.images = images;
        this.size = Math.min(size, images.size());
        this.rnd = rnd;
    }

    /** The next batch, {@code [n, ...sample shape]}, on {@code m}. */
    NDArray next(NDManager m) {
        int d = images.sampleSize();
        float[] x = new float[size * d];
        for (int i = 0; i < size; i++) {
            System.arraycopy(images.features(), rnd.nextInt(images.size()) * d, x, i * d, d);
        }
        return m.create(x, new Shape(images.batchShape(size)));
    }
}
