package dev.graft.robust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.graft.checkpoint.Dims;
import dev.graft.data.Examples;
import dev.graft.engine.Engines;
import dev.graft.model.GraftModel;
import dev.graft.train.AdversarialTraining;
import dev.graft.train.FineTuner;
import dev.graft.train.LossTerm;
import dev.graft.train.OptimizerKind;
import dev.graft.train.TrainConfig;
import dev.graft.train.TrainListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/**
 * What adversarial training trains on, read inside the real training loop (a loss term sees every
 * step's batch): every adversarial sample lies within ε of a clean training sample in every element
 * and inside the valid range, for FGSM and PGD, any mix, over several epochs of changing weights.
 */
class AdversarialTrainingProperties {

    /** Keeps the input of every step; adds nothing to the loss. */
    static final class Recorder implements LossTerm {
        final List<float[]> batches = new ArrayList<>();

        @Override
        public void start(GraftModel model, NDManager run) {
        }

        @Override
        public NDArray loss(GraftModel model, NDArray x, NDArray logits) {
            batches.add(x.toFloatArray());
            return x.getManager().zeros(new ai.djl.ndarray.types.Shape());
        }
    }

    @Property(tries = 30)
    void adversarialTrainingInputsStayInTheBallAndTheRange(@ForAll long seed, @ForAll boolean pgd,
            @ForAll @DoubleRange(min = 0, max = 1) double eps, @ForAll @IntRange(min = 1, max = 4) int steps,
            @ForAll @DoubleRange(min = 0.05, max = 1) double mix, @ForAll @IntRange(min = 1, max = 5) int batch) {
        Random r = new Random(seed);
        float[] w = new float[12];
        float[] b = new float[3];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (r.nextGaussian() * 3);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) r.nextGaussian();
        }
        int n = 6;
        // normalized as data.normalize would, so that the range is not [0, 1]; some pixels at its edges
        Examples.Normalization norm = new Examples.Normalization(new float[] {0.3f}, new float[] {0.4f});
        InputRange range = InputRange.of(new Dims(1, 2, 2), norm);
        float[] x = new float[n * 4];
        int[] labels = new int[n];
        for (int i = 0; i < x.length; i++) {
            float pixel = r.nextInt(4) == 0 ? r.nextInt(2) : r.nextFloat();
            x[i] = (pixel - 0.3f) / 0.4f;
        }
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(3);
        }
        Attack attack = pgd ? Attack.pgd(eps, steps, Math.max(1e-3, 2.5 * eps / steps)) : Attack.fgsm(eps);
        TrainConfig cfg = TrainConfig.simple(OptimizerKind.ADAM, 0.05, 3, batch)
                .withAdversarial(new AdversarialTraining(attack, mix, range));
        Recorder seen = new Recorder();
        try (NDManager m = Engines.pytorch().newBaseManager(); GraftModel model = AttackTest.linear(m, w, b)) {
            FineTuner.fit(model, FineTuner.Policy.allTrainable(), new Examples(new Dims(1, 2, 2), x, labels, 3),
                    null, cfg, seed, TrainListener.NONE, List.of(seen));
        }
        int stepsPerEpoch = (n + batch - 1) / batch;
        assertEquals(3 * stepsPerEpoch, seen.batches.size(), "one batch per step");
        for (float[] in : seen.batches) {
            int rows = in.length / 4;
            // mixed: the clean batch, then its adversarial versions in the same order
            int clean = mix == 1 ? 0 : rows / 2;
            for (int j = clean; j < rows; j++) {
                for (int e = 0; e < 4; e++) {
                    float v = in[j * 4 + e];
                    assertTrue(v >= range.low()[0] - 1e-6 && v <= range.high()[0] + 1e-6, "left the range: " + v);
                }
                if (clean > 0) {
                    for (int e = 0; e < 4; e++) {
                        float d = Math.abs(in[j * 4 + e] - in[(j - clean) * 4 + e]);
                        assertTrue(d <= eps + 1e-5, "left the ε-ball of its clean sample: " + d + " > " + eps);
                    }
                } else {
                    assertTrue(withinEpsOfASample(in, j, x, n, eps), "sample " + j + " is within ε of no "
                            + "training sample");
                }
            }
        }
    }

    /** Whether row j of {@code in} is within ε (L∞) of one of the n training samples. */
    private static boolean withinEpsOfASample(float[] in, int j, float[] x, int n, double eps) {
        for (int s = 0; s < n; s++) {
            boolean close = true;
            for (int e = 0; e < 4 && close; e++) {
                close = Math.abs(in[j * 4 + e] - x[s * 4 + e]) <= eps + 1e-5;
            }
            if (close) {
                return true;
            }
        }
        return false;
    }
}
