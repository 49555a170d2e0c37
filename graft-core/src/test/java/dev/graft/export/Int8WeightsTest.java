package dev.graft.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.checkpoint.Dims;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Symmetric per-row int8 quantization, on values worked out by hand. */
class Int8WeightsTest {

    @Test
    void eachRowIsScaledByItsLargestMagnitudeOver127AndRoundedHalfToEven() {
        // row 0: max 127, scale 1: 2.5 and -2.5 round to the even 2 and -2, 3.5 to 4
        // row 1: max 254, scale 2: 3 -> 1.5 -> 2, -5 -> -2.5 -> -2, 1 -> 0.5 -> 0
        // row 2: zeros, scale 1
        Int8Weights q = Int8Weights.quantize(new Dims(3, 4), new float[] {
            127, 2.5f, -2.5f, 3.5f,
            3, -5, 1, -254,
            0, 0, 0, 0});
        assertArrayEquals(new float[] {1, 2, 1}, q.scales());
        assertArrayEquals(new byte[] {127, 2, -2, 4, 2, -2, 0, -127, 0, 0, 0, 0}, q.values());
        assertArrayEquals(new float[] {127, 2, -2, 4, 4, -4, 0, -254, 0, 0, 0, 0}, q.dequantize());
    }

    @Test
    void theErrorIsAtMostHalfARowsScale() {
        SplittableRandom rng = new SplittableRandom(1);
        float[] w = new float[8 * 3 * 3 * 3];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rng.nextGaussian();
        }
        Int8Weights q = Int8Weights.quantize(new Dims(8, 3, 3, 3), w);
        float[] back = q.dequantize();
        for (int i = 0; i < w.length; i++) {
            float scale = q.scales()[i / 27];
            assertTrue(Math.abs(back[i] - w[i]) <= scale / 2 * 1.0001, "value " + i);
            assertTrue(Math.abs(q.values()[i]) <= 127, "value " + i);
        }
    }

    @Test
    void aValueThatIsNotFiniteIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Int8Weights.quantize(new Dims(1, 2), new float[] {1,
            Float.NaN}));
        assertThrows(IllegalArgumentException.class, () -> Int8Weights.quantize(new Dims(2, 2), new float[] {1, 2}));
    }
}
