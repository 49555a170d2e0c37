package dev.graft.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AugmenterTest {
    static float[] image(int c, int h, int w, long seed) {
        float[] x = new float[c * h * w];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble();
        }
        return x;
    }

    @Test
    void flipTwiceIsIdentityAndFlipMirrorsRows() {
        Augmenter a = new Augmenter(AugmentConfig.NONE, 2, 3, 4);
        float[] x = image(2, 3, 4, 1);
        float[] y = x.clone();
        a.flip(y, 0);
        assertEquals(x[0], y[3]);
        assertEquals(x[12 + 5], y[12 + 6]);
        a.flip(y, 0);
        assertArrayEquals(x, y);
    }

    @Test
    void cropAtTheCentreOffsetIsIdentityAndShiftsOtherwise() {
        Augmenter a = new Augmenter(AugmentConfig.NONE, 1, 4, 4);
        float[] x = image(1, 4, 4, 2);
        float[] y = x.clone();
        a.crop(y, 0, 2, 2, 2);
        assertArrayEquals(x, y);
        float[] z = x.clone();
        a.crop(z, 0, 2, 3, 2);
        // offset dy = 3 with padding 2: output row r shows input row r + 1; the last row is padding
        assertArrayEquals(java.util.Arrays.copyOfRange(x, 4, 16), java.util.Arrays.copyOfRange(z, 0, 12));
        assertArrayEquals(new float[4], java.util.Arrays.copyOfRange(z, 12, 16));
    }

    @Test
    void rotationByZeroIsIdentityAndByNinetyDegreesTurnsTheImage() {
        Augmenter a = new Augmenter(AugmentConfig.NONE, 1, 5, 5);
        float[] x = image(1, 5, 5, 3);
        float[] y = x.clone();
        a.rotate(y, 0, 0);
        assertArrayEquals(x, y, 1e-6f);
        float[] r = x.clone();
        a.rotate(r, 0, Math.PI / 2);
        for (int yy = 0; yy < 5; yy++) {
            for (int xx = 0; xx < 5; xx++) {
                // output (y, x) samples input (x', y') with x' = cx + (y - cy), y' = cy - (x - cx)
                assertEquals(x[(4 - xx) * 5 + yy], r[yy * 5 + xx], 1e-5f);
            }
        }
    }

    @Test
    void mixupMakesConvexCombinationsWithMatchingTargets() {
        int n = 4;
        float[] x = new float[n * 4];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(x, i * 4, i * 4 + 4, i * 10f);
        }
        Batch b = new Batch(x, Losses.targets(new int[] {0, 1, 2, 3}, 4, 0), new int[] {0, 1, 2, 3}, n);
        Batch m = new Augmenter(new AugmentConfig(0, false, 0, 0.4, 0), 1, 2, 2).apply(b, new SplittableRandom(5));
        for (int i = 0; i < n; i++) {
            double sum = 0;
            double expected = 0;
            for (int c = 0; c < 4; c++) {
                sum += m.targets()[i * 4 + c];
                expected += m.targets()[i * 4 + c] * c * 10;
            }
            assertEquals(1, sum, 1e-6);
            assertEquals(expected, m.features()[i * 4], 1e-4, "pixels mix as the targets do");
        }
    }

    @Test
    void cutmixTakesPixelsFromOnePartnerInProportion() {
        int n = 3;
        float[] x = new float[n * 64];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(x, i * 64, i * 64 + 64, i + 1);
        }
        Batch b = new Batch(x, Losses.targets(new int[] {0, 1, 2}, 3, 0), new int[] {0, 1, 2}, n);
        for (long seed = 0; seed < 20; seed++) {
            Batch m = new Augmenter(new AugmentConfig(0, false, 0, 0, 1.0), 1, 8, 8).apply(b, new SplittableRandom(seed));
            for (int i = 0; i < n; i++) {
                int own = 0;
                for (int k = 0; k < 64; k++) {
                    own += m.features()[i * 64 + k] == i + 1 ? 1 : 0;
                }
                assertEquals(own / 64.0, m.targets()[i * 3 + i], 1e-6, "the target shares are the pixel shares");
                double sum = m.targets()[i * 3] + m.targets()[i * 3 + 1] + m.targets()[i * 3 + 2];
                assertEquals(1, sum, 1e-6);
            }
        }
    }

    @Test
    void sameSeedSameBatch() {
        AugmentConfig all = new AugmentConfig(2, true, 10, 0.2, 0);
        Batch b = new Batch(image(1, 6, 6, 9), Losses.targets(new int[] {1}, 2, 0), new int[] {1}, 1);
        Augmenter a = new Augmenter(all, 1, 6, 6);
        assertArrayEquals(a.apply(b, new SplittableRandom(4)).features(), a.apply(b, new SplittableRandom(4)).features());
    }

    @Test
    void betaSamplesHaveTheRightMean() {
        SplittableRandom r = new SplittableRandom(1);
        double s = 0;
        for (int i = 0; i < 20000; i++) {
            s += Distributions.beta(r, 2, 6);
        }
        assertEquals(0.25, s / 20000, 0.01);
        double t = 0;
        for (int i = 0; i < 20000; i++) {
            t += Distributions.beta(r, 0.4, 0.4);
        }
        assertEquals(0.5, t / 20000, 0.01);
    }
}
