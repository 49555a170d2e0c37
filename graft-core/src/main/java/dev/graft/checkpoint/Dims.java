package dev.graft.checkpoint;

import java.util.Arrays;

/**
 * A tensor shape: non-negative sizes, outermost first (PyTorch's order). Immutable.
 *
 * @param sizes the size of each dimension; copied on construction and on access
 */
public record Dims(long... sizes) {

    public Dims {
        sizes = sizes.clone();
        for (long s : sizes) {
            if (s < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(sizes));
            }
        }
    }

    @Override
    public long[] sizes() {
        return sizes.clone();
    }

    public int rank() {
        return sizes.length;
    }

    public long get(int axis) {
        return sizes[axis];
    }

    /**
     * The number of elements.
     *
     * @throws ArithmeticException if the product overflows a long
     */
    public long count() {
        long n = 1;
        for (long s : sizes) {
            n = Math.multiplyExact(n, s);
        }
        return n;
    }

    /** These dimensions with axis {@code axis} set to {@code size}. */
    public Dims with(int axis, long size) {
        long[] copy = sizes.clone();
        copy[axis] = size;
        return new Dims(copy);
    }

    /** Elements per index of axis 0 (the product of all other dimensions). */
    public long rowSize() {
        long n = 1;
        for (int i = 1; i < sizes.length; i++) {
            n *= sizes[i];
        }
        return n;
    }

    /** Integer sizes, for Java arrays. */
    public int[] toInts() {
        int[] out = new int[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            out[i] = Math.toIntExact(sizes[i]);
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Dims d && Arrays.equals(sizes, d.sizes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sizes);
    }

    @Override
    public String toString() {
        return Arrays.toString(sizes);
    }
}
