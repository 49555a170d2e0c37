package dev.graft.data;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A deterministic change of domain for images with pixels in [0, 1], to make a domain-adaptation
 * task from any image dataset: {@code invert} (1 − x), {@code rotate} (a quarter turn), or
 * {@code noise} (Gaussian noise of sd 0.3, clipped to [0, 1], seeded per image index).
 */
public enum DomainShift {
    INVERT, ROTATE, NOISE;

    /** The shift a name stands for. */
    public static DomainShift of(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new DataException("unknown shift '" + name + "' (invert, rotate, noise)");
        }
    }

    /** The shifted images; labels unchanged. */
    public Examples apply(Examples data) {
        float[] in = data.features();
        float[] out = new float[in.length];
        int d = data.sampleSize();
        long[] s = data.sampleShape().sizes();
        int h = s.length == 3 ? (int) s[1] : 1;
        int w = s.length == 3 ? (int) s[2] : d;
        if (this == ROTATE && h != w) {
            throw new DataException("rotate needs square images, got " + h + "×" + w);
        }
        for (int i = 0; i < data.size(); i++) {
            int base = i * d;
            SplittableRandom rnd = this == NOISE ? new SplittableRandom(0x9E3779B97F4A7C15L * (i + 1)) : null;
            for (int k = 0; k < d; k++) {
                float x = in[base + k];
                switch (this) {
                    case INVERT -> out[base + k] = 1 - x;
                    case NOISE -> out[base + k] = (float) Math.max(0, Math.min(1, x + 0.3 * rnd.nextGaussian()));
                    case ROTATE -> {
                        int plane = k / (h * w);
                        int r = (k % (h * w)) / w;
                        int c = k % w;
                        // a quarter turn clockwise: (r, c) → (c, h − 1 − r)
                        out[base + plane * h * w + c * w + (h - 1 - r)] = x;
                    }
                    default -> throw new IllegalStateException();
                }
            }
        }
        return new Examples(data.sampleShape(), out, data.labels(), data.classes(), data.groups(), data.targets());
    }
}
