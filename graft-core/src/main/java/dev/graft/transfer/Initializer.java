package dev.graft.transfer;

import dev.graft.checkpoint.Dims;
import dev.graft.model.ParamInfo;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Initial values for a target tensor. {@code DEFAULT} is PyTorch's own initialization (linear and
 * convolution weights and biases uniform in ±1/√fan_in; norms 1 and 0; running variance 1).
 * Xavier and Kaiming apply to tensors of rank 2 or more; vectors get their default instead.
 *
 * @param kind the scheme
 * @param std the standard deviation for {@code NORMAL}
 */
public record Initializer(Kind kind, double std) {

    /** An initialization scheme. */
    public enum Kind {
        DEFAULT, XAVIER, KAIMING, NORMAL, ZEROS;

        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final Initializer DEFAULT = new Initializer(Kind.DEFAULT, 0);

    public Initializer {
        if (kind == Kind.NORMAL && !(std > 0)) {
            throw new TransferException("normal initialization needs a positive std");
        }
    }

    /** Values for {@code p}, drawn from a generator seeded by the plan seed and the tensor name. */
    public float[] values(ParamInfo p, long seed) {
        Dims d = p.dims();
        float[] out = new float[Math.toIntExact(d.count())];
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + p.name().hashCode());
        Kind k = kind;
        if ((k == Kind.XAVIER || k == Kind.KAIMING) && d.rank() < 2) {
            k = Kind.DEFAULT;
        }
        switch (k) {
            case ZEROS -> { }
            case NORMAL -> fill(out, () -> (float) (rng.nextGaussian() * std));
            case XAVIER -> {
                long receptive = d.rowSize() / d.get(1);
                double fanIn = d.get(1) * receptive;
                double fanOut = d.get(0) * receptive;
                double bound = Math.sqrt(6.0 / (fanIn + fanOut));
                fill(out, () -> (float) ((rng.nextDouble() * 2 - 1) * bound));
            }
            case KAIMING -> {
                double s = Math.sqrt(2.0 / d.rowSize());
                fill(out, () -> (float) (rng.nextGaussian() * s));
            }
            case DEFAULT -> defaults(p, out, rng);
        }
        return out;
    }

    private static void defaults(ParamInfo p, float[] out, SplittableRandom rng) {
        switch (p.init()) {
            case FAN_IN_UNIFORM -> {
                double bound = p.fanIn() > 0 ? 1.0 / Math.sqrt(p.fanIn()) : 0;
                fill(out, () -> (float) ((rng.nextDouble() * 2 - 1) * bound));
            }
            case ONES -> java.util.Arrays.fill(out, 1f);
            case ZEROS -> { }
            case NORMAL_0_02 -> fill(out, () -> (float) (rng.nextGaussian() * 0.02));
        }
    }

    private static void fill(float[] out, java.util.function.DoubleSupplier s) {
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) s.getAsDouble();
        }
    }

    /** What this initializer does to {@code p}, for reports. */
    public String describe(ParamInfo p) {
        if ((kind == Kind.XAVIER || kind == Kind.KAIMING) && p.dims().rank() < 2) {
            return kind.keyword() + " (default for vectors)";
        }
        return toString();
    }

    @Override
    public String toString() {
        return kind == Kind.NORMAL ? "normal(" + std + ")" : kind.keyword();
    }
}
