package dev.graft.robust;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.graft.checkpoint.Dims;
import dev.graft.data.Examples;
import java.util.Arrays;

/**
 * The values a model input may take, per channel (the first axis of a sample): an attack clamps
 * its adversarial inputs into this box, so that they remain images a camera could have produced.
 *
 * @param low the smallest value of each channel (length C, or 1 for all channels), in normalized
 *     units; {@code -∞} where unbounded
 * @param high the largest value of each channel, in normalized units; {@code +∞} where unbounded
 */
public record InputRange(float[] low, float[] high) {

    /**
     * @throws IllegalArgumentException if the arrays differ in length, are empty, or a low bound
     *     exceeds its high bound
     */
    public InputRange {
        if (low.length == 0 || low.length != high.length) {
            throw new IllegalArgumentException("input range: " + low.length + " low and " + high.length
                    + " high bounds");
        }
        for (int c = 0; c < low.length; c++) {
            if (!(low[c] <= high[c])) {
                throw new IllegalArgumentException("input range: channel " + c + " has low " + low[c] + " above high "
                        + high[c]);
            }
        }
        low = low.clone();
        high = high.clone();
    }

    /** No bound at all: feature vectors (CSV columns) have no physical range to stay within. */
    public static InputRange unbounded() {
        return new InputRange(new float[] {Float.NEGATIVE_INFINITY}, new float[] {Float.POSITIVE_INFINITY});
    }

    /**
     * The range of samples of shape {@code sample} after {@code norm}. Images ({@code [C, H, W]}) are
     * read as pixel values in [0, 1] (IDX bytes and folder images both divide by 255), so channel c
     * spans [(0 − mean_c)/std_c, (1 − mean_c)/std_c], or [0, 1] without normalization. Any other
     * shape is treated as a feature vector and left unbounded.
     *
     * @param norm the normalization applied to the data, or null for none
     */
    public static InputRange of(Dims sample, Examples.Normalization norm) {
        if (sample.rank() != 3) {
            return unbounded();
        }
        if (norm == null) {
            return new InputRange(new float[] {0f}, new float[] {1f});
        }
        int n = norm.mean().length;
        float[] low = new float[n];
        float[] high = new float[n];
        for (int c = 0; c < n; c++) {
            float a = (0f - norm.mean()[c]) / norm.std()[c];
            float b = (1f - norm.mean()[c]) / norm.std()[c];
            // a negative std (never produced, but possible in a hand-written normalize) flips the box
            low[c] = Math.min(a, b);
            high[c] = Math.max(a, b);
        }
        return new InputRange(low, high);
    }

    /** Whether every channel is unbounded (nothing to clamp). */
    public boolean isUnbounded() {
        for (int c = 0; c < low.length; c++) {
            if (low[c] != Float.NEGATIVE_INFINITY || high[c] != Float.POSITIVE_INFINITY) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code x} clamped into the range, channel by channel.
     *
     * @param x a batch {@code [N, C, ...]} (or {@code [N, F]} for one shared bound)
     * @return a new array of x's shape, in x's manager
     * @throws IllegalArgumentException if the range has per-channel bounds and x's second axis is
     *     not C
     */
    public NDArray clamp(NDArray x) {
        if (isUnbounded()) {
            return x.duplicate();
        }
        NDManager m = x.getManager();
        long[] shape = new long[x.getShape().dimension()];
        Arrays.fill(shape, 1);
        if (low.length > 1) {
            if (shape.length < 2 || x.getShape().get(1) != low.length) {
                throw new IllegalArgumentException("input range of " + low.length + " channels for a batch "
                        + x.getShape());
            }
            shape[1] = low.length;
        }
        NDArray lo = m.create(low, new Shape(shape));
        NDArray hi = m.create(high, new Shape(shape));
        return x.maximum(lo).minimum(hi);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InputRange r && Arrays.equals(low, r.low) && Arrays.equals(high, r.high);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(low) + Arrays.hashCode(high);
    }

    @Override
    public String toString() {
        return "InputRange[low=" + Arrays.toString(low) + ", high=" + Arrays.toString(high) + "]";
    }
}
