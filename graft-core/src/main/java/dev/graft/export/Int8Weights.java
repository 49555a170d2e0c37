package dev.graft.export;

import dev.graft.checkpoint.Dims;

/**
 * A weight quantized to int8 per output channel, symmetrically: for each row {@code r} (axis 0, a
 * linear layer's output unit or a convolution's output channel) the scale is
 * {@code s[r] = max|w[r, ...]| / 127}, and each value {@code q = round(w / s[r])} (half to even,
 * as ONNX's QuantizeLinear rounds), within [-127, 127], zero point 0. A row of zeros gets scale 1
 * (its values are 0 whatever the scale; a zero scale is avoided so that no runtime divides by it).
 *
 * <p>What the export stores and computes is ONNX's {@code DequantizeLinear} (opset 13+,
 * https://onnx.ai/onnx/operators/onnx__DequantizeLinear.html): {@code y = (q - zero_point) · scale}
 * per slice of {@code axis} 0, so the op reads back {@link #dequantize()}; the largest error of a
 * value is half its row's scale, {@code max|w[r]| / 254}.
 *
 * @param dims the weight's shape, rows first
 * @param values the int8 values, row-major as the weight
 * @param scales one scale per row (float32)
 */
public record Int8Weights(Dims dims, byte[] values, float[] scales) {

    /**
     * Quantizes a float weight of shape {@code dims} (row-major).
     *
     * @throws IllegalArgumentException if a value is not finite, or the shape does not fit the values
     */
    public static Int8Weights quantize(Dims dims, float[] w) {
        if (dims.rank() < 1 || dims.count() != w.length) {
            throw new IllegalArgumentException("a weight of shape " + dims + " cannot hold " + w.length + " values");
        }
        int rows = (int) dims.get(0);
        int per = rows == 0 ? 0 : w.length / rows;
        byte[] q = new byte[w.length];
        float[] scales = new float[rows];
        for (int r = 0; r < rows; r++) {
            float max = 0;
            for (int i = r * per; i < (r + 1) * per; i++) {
                if (!Float.isFinite(w[i])) {
                    throw new IllegalArgumentException("value " + w[i] + " at index " + i + " is not finite");
                }
                max = Math.max(max, Math.abs(w[i]));
            }
            float s = max == 0 ? 1f : max / 127f;
            scales[r] = s;
            for (int i = r * per; i < (r + 1) * per; i++) {
                q[i] = (byte) Math.max(-127, Math.min(127, Math.rint(w[i] / s)));
            }
        }
        return new Int8Weights(dims, q, scales);
    }

    /** The float values {@code DequantizeLinear} computes from these: {@code q · scale} of each row. */
    public float[] dequantize() {
        int rows = scales.length;
        int per = rows == 0 ? 0 : values.length / rows;
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i] * scales[i / per];
        }
        return out;
    }
}
