package dev.graft.train;

import java.util.SplittableRandom;

/**
 * Applies an {@link AugmentConfig} to batches. All randomness comes from the generator handed in,
 * so a seeded run is reproducible. Not thread-safe.
 */
public final class Augmenter {
    private final AugmentConfig config;
    private final int channels;
    private final int height;
    private final int width;

    /** For samples of shape {@code [channels, height, width]}. */
    public Augmenter(AugmentConfig config, int channels, int height, int width) {
        this.config = config;
        this.channels = channels;
        this.height = height;
        this.width = width;
    }

    /** A new batch with the configured augmentations applied (the input is not changed). */
    public Batch apply(Batch in, SplittableRandom rnd) {
        int d = channels * height * width;
        float[] x = in.features().clone();
        float[] q = in.targets().clone();
        for (int i = 0; i < in.n(); i++) {
            if (config.cropPadding() > 0) {
                crop(x, i * d, config.cropPadding(), rnd.nextInt(2 * config.cropPadding() + 1),
                        rnd.nextInt(2 * config.cropPadding() + 1));
            }
            if (config.horizontalFlip() && rnd.nextBoolean()) {
                flip(x, i * d);
            }
            if (config.rotationDegrees() > 0) {
                double deg = (rnd.nextDouble() * 2 - 1) * config.rotationDegrees();
                rotate(x, i * d, Math.toRadians(deg));
            }
        }
        int classes = q.length / Math.max(1, in.n());
        if (config.mixupAlpha() > 0 && in.n() > 1) {
            double lambda = Distributions.beta(rnd, config.mixupAlpha(), config.mixupAlpha());
            int[] perm = Distributions.permutation(in.n(), rnd);
            float[] x0 = x.clone();
            float[] q0 = q.clone();
            for (int i = 0; i < in.n(); i++) {
                for (int k = 0; k < d; k++) {
                    x[i * d + k] = (float) (lambda * x0[i * d + k] + (1 - lambda) * x0[perm[i] * d + k]);
                }
                for (int c = 0; c < classes; c++) {
                    q[i * classes + c] = (float) (lambda * q0[i * classes + c] + (1 - lambda) * q0[perm[i] * classes + c]);
                }
            }
        }
        if (config.cutmixAlpha() > 0 && in.n() > 1) {
            double lambda = Distributions.beta(rnd, config.cutmixAlpha(), config.cutmixAlpha());
            int[] perm = Distributions.permutation(in.n(), rnd);
            double cut = Math.sqrt(1 - lambda);
            int bh = (int) (height * cut);
            int bw = (int) (width * cut);
            int cy = rnd.nextInt(height);
            int cx = rnd.nextInt(width);
            int y0 = Math.max(0, cy - bh / 2);
            int y1 = Math.min(height, cy + bh / 2);
            int x0 = Math.max(0, cx - bw / 2);
            int x1 = Math.min(width, cx + bw / 2);
            double area = (double) (y1 - y0) * (x1 - x0) / (height * width);
            float[] xs = x.clone();
            float[] q0 = q.clone();
            for (int i = 0; i < in.n(); i++) {
                for (int c = 0; c < channels; c++) {
                    for (int yy = y0; yy < y1; yy++) {
                        for (int xx = x0; xx < x1; xx++) {
                            int off = c * height * width + yy * width + xx;
                            x[i * d + off] = xs[perm[i] * d + off];
                        }
                    }
                }
                for (int c = 0; c < classes; c++) {
                    q[i * classes + c] = (float) ((1 - area) * q0[i * classes + c] + area * q0[perm[i] * classes + c]);
                }
            }
        }
        return new Batch(x, q, in.labels(), in.n());
    }


    /** Zero-pads by {@code pad} and crops the original size at offset (dy, dx) of the padded image. */
    void crop(float[] x, int off, int pad, int dy, int dx) {
        float[] src = java.util.Arrays.copyOfRange(x, off, off + channels * height * width);
        for (int c = 0; c < channels; c++) {
            for (int yy = 0; yy < height; yy++) {
                for (int xx = 0; xx < width; xx++) {
                    int sy = yy + dy - pad;
                    int sx = xx + dx - pad;
                    boolean inside = sy >= 0 && sy < height && sx >= 0 && sx < width;
                    x[off + c * height * width + yy * width + xx] =
                            inside ? src[c * height * width + sy * width + sx] : 0f;
                }
            }
        }
    }

    void flip(float[] x, int off) {
        for (int c = 0; c < channels; c++) {
            for (int yy = 0; yy < height; yy++) {
                int row = off + c * height * width + yy * width;
                for (int a = 0, b = width - 1; a < b; a++, b--) {
                    float t = x[row + a];
                    x[row + a] = x[row + b];
                    x[row + b] = t;
                }
            }
        }
    }

    /** Rotates about the image centre by {@code theta} radians, bilinear, zero outside. */
    void rotate(float[] x, int off, double theta) {
        float[] src = java.util.Arrays.copyOfRange(x, off, off + channels * height * width);
        double cy = (height - 1) / 2.0;
        double cx = (width - 1) / 2.0;
        double cos = Math.cos(theta);
        double sin = Math.sin(theta);
        for (int yy = 0; yy < height; yy++) {
            for (int xx = 0; xx < width; xx++) {
                double sx = cos * (xx - cx) + sin * (yy - cy) + cx;
                double sy = -sin * (xx - cx) + cos * (yy - cy) + cy;
                int fx = (int) Math.floor(sx);
                int fy = (int) Math.floor(sy);
                double ax = sx - fx;
                double ay = sy - fy;
                for (int c = 0; c < channels; c++) {
                    int base = c * height * width;
                    double v = (1 - ax) * (1 - ay) * at(src, base, fy, fx) + ax * (1 - ay) * at(src, base, fy, fx + 1)
                            + (1 - ax) * ay * at(src, base, fy + 1, fx) + ax * ay * at(src, base, fy + 1, fx + 1);
                    x[off + base + yy * width + xx] = (float) v;
                }
            }
        }
    }

    private float at(float[] src, int base, int yy, int xx) {
        return yy < 0 || yy >= height || xx < 0 || xx >= width ? 0f : src[base + yy * width + xx];
    }
}
