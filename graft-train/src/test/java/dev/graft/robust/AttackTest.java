package dev.graft.robust;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.graft.GraftInputException;
import dev.graft.checkpoint.Dims;
import dev.graft.checkpoint.Tensor;
import dev.graft.data.Examples;
import dev.graft.engine.Engines;
import dev.graft.experiment.ExperimentConfig.RobustnessSection;
import dev.graft.experiment.RobustnessSettings;
import dev.graft.model.GraftModel;
import dev.graft.model.ModelLayout;
import dev.graft.model.SpecParser;
import dev.graft.train.Evaluator;
import dev.graft.train.FineTuner;
import dev.graft.train.OptimizerKind;
import dev.graft.train.TrainConfig;
import dev.graft.train.TrainListener;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** FGSM and PGD against truths computed by hand, and robust accuracy against clean accuracy. */
class AttackTest {
    /** A one-channel 2×2 image read by one linear layer: logits = W·vec(x) + b. */
    static final String LINEAR = """
            input: [1, 2, 2]
            layers:
              - {name: flat, type: flatten}
              - {name: head, type: linear, out: 3}
            """;
    static final float[] W = {
        1.0f, -2.0f, 0.5f, 0.0f,
        -1.0f, 1.5f, 2.0f, -0.5f,
        0.5f, 0.5f, -1.0f, 3.0f};
    static final float[] B = {0.1f, -0.2f, 0.3f};

    static GraftModel linear(NDManager m, float[] w, float[] b) {
        GraftModel model = GraftModel.build(ModelLayout.of(SpecParser.parse("linear", LINEAR)), m);
        model.load(Map.of("head.weight", Tensor.ofFloats(new Dims(3, 4), w),
                "head.bias", Tensor.ofFloats(new Dims(3), b)));
        return model;
    }

    /** ∂L/∂x = Wᵀ(softmax(Wx + b) − onehot(y)) for softmax cross-entropy, in double precision. */
    static double[] handGradient(float[] x, int y) {
        double[] z = new double[3];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < 3; c++) {
            z[c] = B[c];
            for (int i = 0; i < 4; i++) {
                z[c] += W[c * 4 + i] * x[i];
            }
            max = Math.max(max, z[c]);
        }
        double sum = 0;
        for (int c = 0; c < 3; c++) {
            sum += Math.exp(z[c] - max);
        }
        double[] g = new double[4];
        for (int c = 0; c < 3; c++) {
            double p = Math.exp(z[c] - max) / sum - (c == y ? 1 : 0);
            for (int i = 0; i < 4; i++) {
                g[i] += W[c * 4 + i] * p;
            }
        }
        return g;
    }

    @Test
    void fgsmMovesEachPixelByEpsilonAlongTheSignOfTheHandGradientAndClampsToPixels() {
        // the last pixel sits near 1: its step up is cut by the clamp to [0, 1]
        float[] x = {0.5f, 0.3f, 0.6f, 0.95f};
        int y = 1;
        double eps = 0.1;
        double[] g = handGradient(x, y);
        float[] expected = new float[4];
        for (int i = 0; i < 4; i++) {
            assertTrue(Math.abs(g[i]) > 1e-3, "a clear sign at pixel " + i);
            expected[i] = (float) Math.min(1, Math.max(0, x[i] + eps * Math.signum(g[i])));
        }
        try (NDManager m = Engines.pytorch().newBaseManager(); GraftModel model = linear(m, W, B)) {
            NDArray in = m.create(x, new Shape(1, 1, 2, 2));
            NDArray hot = m.create(new float[] {0, 1, 0}, new Shape(1, 3));
            float[] grad = Attack.inputGradient(model, in, hot).toFloatArray();
            for (int i = 0; i < 4; i++) {
                assertEquals(g[i], grad[i], 1e-5, "∂L/∂x at pixel " + i);
            }
            InputRange pixels = InputRange.of(new Dims(1, 2, 2), null);
            float[] adv = Attack.fgsm(eps).perturb(model, in, hot, pixels).toFloatArray();
            assertArrayEquals(expected, adv, 1e-6f);
        }
    }

    @Test
    void theRangeOfNormalizedImagesIsTheImageOfPixelsZeroAndOne() {
        InputRange r = InputRange.of(new Dims(2, 3, 3),
                new Examples.Normalization(new float[] {0.5f, 0.25f}, new float[] {0.25f, 0.5f}));
        assertArrayEquals(new float[] {-2f, -0.5f}, r.low(), 1e-6f);
        assertArrayEquals(new float[] {2f, 1.5f}, r.high(), 1e-6f);
        assertTrue(InputRange.of(new Dims(8), null).isUnbounded(), "feature vectors are not clamped");
    }

    @Test
    void pgdOfOneStepOfEpsilonIsFgsm() {
        float[] x = {0.2f, 0.7f, 0.4f, 0.1f};
        try (NDManager m = Engines.pytorch().newBaseManager(); GraftModel model = linear(m, W, B)) {
            NDArray in = m.create(x, new Shape(1, 1, 2, 2));
            NDArray hot = m.create(new float[] {1, 0, 0}, new Shape(1, 3));
            InputRange pixels = InputRange.of(new Dims(1, 2, 2), null);
            assertArrayEquals(Attack.fgsm(0.05).perturb(model, in, hot, pixels).toFloatArray(),
                    Attack.pgd(0.05, 1, 0.05).perturb(model, in, hot, pixels).toFloatArray(), 1e-7f);
        }
    }

    /** Three Gaussian blobs in 8 dimensions. */
    static Examples blobs(int perClass, long seed) {
        Random r = new Random(seed);
        float[] f = new float[3 * perClass * 8];
        int[] l = new int[3 * perClass];
        for (int i = 0; i < l.length; i++) {
            l[i] = i % 3;
            for (int k = 0; k < 8; k++) {
                f[i * 8 + k] = (float) (r.nextGaussian() * 0.7 + (k % 3 == l[i] ? 1.5 : 0));
            }
        }
        return new Examples(new Dims(8), f, l, 3);
    }

    @Test
    void robustAccuracyIsCleanAccuracyAtEpsilonZeroAndNoHigherBeyond() {
        String mlp = """
                input: [8]
                layers:
                  - {name: fc1, type: linear, out: 16}
                  - {name: act, type: relu}
                  - {name: head, type: linear, out: 3}
                """;
        Examples test = blobs(30, 2);
        try (NDManager m = Engines.pytorch().newBaseManager();
                GraftModel model = GraftModel.build(ModelLayout.of(SpecParser.parse("mlp", mlp)), m)) {
            FineTuner.fit(model, FineTuner.Policy.allTrainable(), blobs(40, 1), null,
                    TrainConfig.simple(OptimizerKind.ADAM, 0.01, 15, 16), 7, TrainListener.NONE);
            double clean = Evaluator.evaluate(model, test, 256).accuracy();
            assertTrue(clean > 0.8, "the model learned: " + clean);
            InputRange free = InputRange.unbounded();
            assertEquals(clean, RobustAccuracy.of(model, test, Attack.pgd(0, 5, 0.1), free, 16), 1e-12);
            assertEquals(clean, RobustAccuracy.of(model, test, Attack.fgsm(0), free, 16), 1e-12);
            double fgsm = RobustAccuracy.of(model, test, Attack.fgsm(0.5), free, 16);
            double pgd = RobustAccuracy.of(model, test, Attack.pgd(0.5, 10, 0.125), free, 16);
            assertTrue(fgsm <= clean && pgd <= clean, "clean " + clean + ", fgsm " + fgsm + ", pgd " + pgd);
            assertTrue(pgd < clean, "an attack of ε = 0.5 on blobs 1.5 apart costs accuracy: " + pgd);
        }
    }

    @Test
    void settingsDefaultToMadrysStepAndRefuseWhatWouldBeIgnored() {
        Attack a = RobustnessSettings.attack(new RobustnessSection(null, 0.2, null, null), "r");
        assertEquals(Attack.pgd(0.2, 10, 0.05), a);
        assertEquals(Attack.fgsm(0.1), RobustnessSettings.attack(new RobustnessSection("fgsm", 0.1, null, null), "r"));
        assertEquals(null, RobustnessSettings.attack(null, "r"));
        assertThrows(GraftInputException.class,
                () -> RobustnessSettings.attack(new RobustnessSection("fgsm", 0.1, 5, null), "r"));
        assertThrows(GraftInputException.class,
                () -> RobustnessSettings.attack(new RobustnessSection("cw", 0.1, null, null), "r"));
        assertThrows(GraftInputException.class,
                () -> RobustnessSettings.attack(new RobustnessSection("pgd", null, null, null), "r"));
        assertThrows(GraftInputException.class,
                () -> RobustnessSettings.attack(new RobustnessSection("pgd", -0.1, null, null), "r"));
        assertThrows(GraftInputException.class,
                () -> RobustnessSettings.attack(new RobustnessSection("pgd", 0.1, 0, null), "r"));
    }
}
