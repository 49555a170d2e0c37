package dev.graft.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.graft.engine.Engines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every update rule against a scalar re-computation of PyTorch's formulas over four steps (and
 * literal hand-computed numbers for the first steps), with weight decay, LR multipliers and masks.
 */
class OptimizerTest {
    static final float[] W0 = {0.5f, -1.0f, 2.0f};
    static final float[][] GRADS = {{0.1f, -0.2f, 0.3f}, {0.05f, 0.4f, -0.1f}, {-0.3f, 0.1f, 0.2f}, {0.2f, 0.2f, -0.2f}};

    /** The expected weights after each step, computed in double arithmetic, element by element. */
    static double[] reference(OptimizerConfig c, double lr, int steps) {
        double[] w = new double[W0.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = W0[i];
        }
        double[] s1 = new double[w.length];
        double[] s2 = new double[w.length];
        for (int t = 1; t <= steps; t++) {
            for (int i = 0; i < w.length; i++) {
                double g = GRADS[t - 1][i];
                if (c.kind() != OptimizerKind.ADAMW) {
                    g += c.weightDecay() * w[i];
                }
                switch (c.kind()) {
                    case SGD -> w[i] -= lr * g;
                    case MOMENTUM -> {
                        s1[i] = t == 1 ? g : c.momentum() * s1[i] + g;
                        w[i] -= lr * s1[i];
                    }
                    case NESTEROV -> {
                        s1[i] = t == 1 ? g : c.momentum() * s1[i] + g;
                        w[i] -= lr * (g + c.momentum() * s1[i]);
                    }
                    case ADAM, ADAMW -> {
                        if (c.kind() == OptimizerKind.ADAMW) {
                            w[i] *= 1 - lr * c.weightDecay();
                        }
                        s1[i] = c.beta1() * s1[i] + (1 - c.beta1()) * g;
                        s2[i] = c.beta2() * s2[i] + (1 - c.beta2()) * g * g;
                        double mhat = s1[i] / (1 - Math.pow(c.beta1(), t));
                        double vhat = s2[i] / (1 - Math.pow(c.beta2(), t));
                        w[i] -= lr * mhat / (Math.sqrt(vhat) + c.eps());
                    }
                    case RMSPROP -> {
                        s1[i] = c.alpha() * s1[i] + (1 - c.alpha()) * g * g;
                        w[i] -= lr * g / (Math.sqrt(s1[i]) + c.eps());
                    }
                    case ADAGRAD -> {
                        s1[i] += g * g;
                        w[i] -= lr * g / (Math.sqrt(s1[i]) + c.eps());
                    }
                }
            }
        }
        return w;
    }

    static float[] run(OptimizerConfig c, double lrMultiplier, float[] mask, int steps) {
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            NDArray w = m.create(W0.clone());
            NDArray maskArr = mask == null ? null : m.create(mask);
            Optimizer opt = new Optimizer(c);
            TrainableParam p = new TrainableParam("w", w, lrMultiplier, maskArr, true);
            for (int t = 0; t < steps; t++) {
                try (NDManager step = m.newSubManager()) {
                    opt.update(p, step.create(GRADS[t]), 0.1);
                }
            }
            return w.toFloatArray();
        }
    }

    @ParameterizedTest
    @EnumSource(OptimizerKind.class)
    void matchesTheReferenceOverFourSteps(OptimizerKind kind) {
        for (double wd : new double[] {0, 0.05}) {
            OptimizerConfig c = OptimizerConfig.defaults(kind, 0.1).withWeightDecay(wd);
            for (int steps = 1; steps <= 4; steps++) {
                double[] want = reference(c, 0.1, steps);
                float[] got = run(c, 1, null, steps);
                for (int i = 0; i < want.length; i++) {
                    assertEquals(want[i], got[i], 2e-6, kind + " wd=" + wd + " step " + steps + " element " + i);
                }
            }
        }
    }

    @Test
    void handComputedFirstSteps() {
        // SGD: 0.5 - 0.1*0.1 = 0.49
        assertEquals(0.49f, run(OptimizerConfig.defaults(OptimizerKind.SGD, 0.1), 1, null, 1)[0], 1e-7f);
        // Adam's first step moves every element by lr (times the sign of g), whatever g's size
        float[] adam = run(OptimizerConfig.defaults(OptimizerKind.ADAM, 0.1), 1, null, 1);
        assertArrayEquals(new float[] {0.4f, -0.9f, 1.9f}, adam, 1e-6f);
        // Momentum, two steps: v1 = 0.1, w1 = 0.49; v2 = 0.9*0.1 + 0.05 = 0.14, w2 = 0.49 - 0.014 = 0.476
        assertEquals(0.476f, run(OptimizerConfig.defaults(OptimizerKind.MOMENTUM, 0.1), 1, null, 2)[0], 1e-6f);
        // Adagrad's first step: g/|g| * lr
        assertEquals(0.4f, run(OptimizerConfig.defaults(OptimizerKind.ADAGRAD, 0.1), 1, null, 1)[0], 1e-6f);
        // RMSProp's first step: s = 0.01*g², w -= lr*g/(0.1|g|) = lr*10*sign(g)
        assertEquals(0.5f - 1.0f, run(OptimizerConfig.defaults(OptimizerKind.RMSPROP, 0.1), 1, null, 1)[0], 1e-5f);
    }

    @Test
    void lrMultiplierScalesTheStep() {
        float[] half = run(OptimizerConfig.defaults(OptimizerKind.SGD, 0.1), 0.5, null, 1);
        assertEquals(0.5f - 0.05f * 0.1f, half[0], 1e-7f);
    }

    @ParameterizedTest
    @EnumSource(OptimizerKind.class)
    void maskedElementsChangeByExactlyZero(OptimizerKind kind) {
        float[] got = run(OptimizerConfig.defaults(kind, 0.1).withWeightDecay(0.1), 1, new float[] {1, 0, 1}, 4);
        assertEquals(W0[1], got[1], 0f, "bit for bit");
        assertEquals(reference(OptimizerConfig.defaults(kind, 0.1).withWeightDecay(0.1), 0.1, 4)[0], got[0], 2e-6);
    }
}
