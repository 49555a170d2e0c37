package dev.graft.robust;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.graft.checkpoint.Dims;
import dev.graft.data.Examples;
import dev.graft.engine.Engines;
import dev.graft.model.GraftModel;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/** PGD (Madry et al. 2018) never leaves the ε-ball around its input nor the valid pixel range. */
class PgdProperties {

    @Property(tries = 40)
    void pgdStaysInTheEpsilonBallAndThePixelRange(@ForAll long seed,
            @ForAll @DoubleRange(min = 0, max = 1) double eps, @ForAll @IntRange(min = 1, max = 6) int steps,
            @ForAll @DoubleRange(min = 0.01, max = 2) double stepSize) {
        Random r = new Random(seed);
        float[] w = new float[12];
        float[] b = new float[3];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (r.nextGaussian() * 3);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) r.nextGaussian();
        }
        int n = 5;
        float[] pixels = new float[n * 4];
        for (int i = 0; i < pixels.length; i++) {
            // some pixels at the very edges of [0, 1], where the clamp binds
            pixels[i] = r.nextInt(4) == 0 ? r.nextInt(2) : r.nextFloat();
        }
        float[] hot = new float[n * 3];
        for (int i = 0; i < n; i++) {
            hot[i * 3 + r.nextInt(3)] = 1;
        }
        // normalized as data.normalize would: the clamp range is then not [0, 1]
        Examples.Normalization norm = new Examples.Normalization(new float[] {0.3f}, new float[] {0.4f});
        InputRange range = InputRange.of(new Dims(1, 2, 2), norm);
        float[] x = new float[pixels.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (pixels[i] - 0.3f) / 0.4f;
        }
        try (NDManager m = Engines.pytorch().newBaseManager(); GraftModel model = AttackTest.linear(m, w, b)) {
            float[] adv = Attack.pgd(eps, steps, stepSize).perturb(model, m.create(x, new Shape(n, 1, 2, 2)),
                    m.create(hot, new Shape(n, 3)), range).toFloatArray();
            for (int i = 0; i < x.length; i++) {
                assertTrue(Math.abs(adv[i] - x[i]) <= eps + 1e-5, "left the ε-ball at " + i + ": " + x[i] + " → "
                        + adv[i] + ", ε " + eps);
                assertTrue(adv[i] >= range.low()[0] - 1e-6 && adv[i] <= range.high()[0] + 1e-6,
                        "left the pixel range at " + i + ": " + adv[i]);
            }
        }
    }
}
