package dev.graft.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import dev.graft.engine.Engines;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Optimizer#step}, the path training takes (gradients read off the weights, scaled in
 * place, then zeroed), against the update as Graft computed it before issue 18 (one DJL call and
 * one temporary per operation, {@link Legacy}, kept here verbatim as the reference): bit for bit,
 * over four steps with real gradients from a backward pass, for every rule, with weight decay, a
 * learning-rate multiplier, a mask, a tensor without decay and a frozen tensor that is not passed
 * in. Plus hand-computed first steps of AdamW and momentum with decay through the same path.
 */
class OptimizerStepTest {
    static final float[][] W0 = {{0.5f, -1.0f, 2.0f, 0.25f}, {0.3f, -0.7f, 1.1f, -2.0f}, {0.05f, 0.1f, -0.1f, 0.0f}};
    /** Gradient of tensor i at step t: loss = Σ_i Σ_j w_ij · G[t][i][j], so ∂loss/∂w = G[t]. */
    static final float[][][] G = {
            {{0.1f, -0.2f, 0.3f, 1e-4f}, {0.05f, 0.4f, -0.1f, 2.5f}, {-0.3f, 0.1f, 0.2f, 0f}},
            {{0.05f, 0.4f, -0.1f, -3f}, {-0.3f, 0.1f, 0.2f, 0.01f}, {0.2f, 0.2f, -0.2f, 1f}},
            {{-0.3f, 0.1f, 0.2f, 0.7f}, {0.2f, 0.2f, -0.2f, -0.6f}, {0.1f, -0.2f, 0.3f, 0.02f}},
            {{0.2f, 0.2f, -0.2f, 0.3f}, {0.1f, -0.2f, 0.3f, 0.9f}, {0.05f, 0.4f, -0.1f, -1e-3f}}};
    static final float[] MASK = {1, 0, 1, 1};

    /** Final weights of the three tensors after {@code steps} steps; tensor 2 is frozen (never passed in). */
    static float[][] train(OptimizerConfig c, int steps, boolean legacy) {
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            NDArray[] w = new NDArray[W0.length];
            for (int i = 0; i < w.length; i++) {
                w[i] = m.create(W0[i].clone());
                // tensor 2 is frozen as FineTuner freezes one: no gradient, not passed in
                w[i].setRequiresGradient(i < 2);
            }
            NDArray mask = m.create(MASK);
            // tensor 0: decayed, at a 0.3 multiplier, masked; tensor 1: a bias (no decay)
            List<TrainableParam> params = List.of(new TrainableParam("a", w[0], 0.3, mask, true),
                    new TrainableParam("b", w[1], 1, null, false));
            Optimizer opt = new Optimizer(c);
            Legacy old = new Legacy(c);
            int live = -1;
            for (int t = 0; t < steps; t++) {
                try (NDScope scope = new NDScope(); NDManager s = m.newSubManager()) {
                    try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                        NDArray loss = null;
                        for (int i = 0; i < w.length; i++) {
                            NDArray term = w[i].mul(s.create(G[t][i])).sum();
                            loss = loss == null ? term : loss.add(term);
                        }
                        gc.backward(loss);
                    }
                    double lr = 0.1 / (t + 1); // a schedule: the step's rate changes
                    if (legacy) {
                        for (TrainableParam p : params) {
                            NDArray g = p.weight().getGradient();
                            old.update(p, g, lr);
                            g.subi(g);
                        }
                    } else {
                        opt.step(params, lr);
                    }
                    for (TrainableParam p : params) {
                        assertArrayEquals(new float[4], p.weight().getGradient().toFloatArray(), 0f, "gradients zeroed");
                    }
                }
                // no array outlives its step but the state and the run's constants (made by step 2: momentum's μ is first used then)
                int now = m.getManagedArrays().size();
                if (t > 1 && !legacy) {
                    assertEquals(live, now, c.kind() + ": arrays left on the weights' manager after step " + (t + 1));
                }
                live = now;
            }
            opt.release();
            float[][] out = new float[w.length][];
            for (int i = 0; i < w.length; i++) {
                out[i] = w[i].toFloatArray();
            }
            return out;
        }
    }

    @ParameterizedTest
    @EnumSource(OptimizerKind.class)
    void stepIsBitForBitTheEarlierUpdate(OptimizerKind kind) {
        for (double wd : new double[] {0, 0.05}) {
            OptimizerConfig c = OptimizerConfig.defaults(kind, 0.1).withWeightDecay(wd);
            float[][] want = train(c, 4, true);
            float[][] got = train(c, 4, false);
            for (int i = 0; i < want.length; i++) {
                for (int j = 0; j < want[i].length; j++) {
                    assertEquals(Float.floatToRawIntBits(want[i][j]), Float.floatToRawIntBits(got[i][j]),
                            kind + " wd=" + wd + " tensor " + i + " element " + j + ": " + want[i][j] + " vs " + got[i][j]);
                }
            }
            assertArrayEquals(W0[2], got[2], 0f, "the frozen tensor is untouched");
            assertEquals(W0[0][1], got[0][1], 0f, "the masked element is untouched");
            assertEquals(W0[0][0] == got[0][0], false, kind + " trains");
        }
    }

    @Test
    void handComputedFirstSteps() {
        // AdamW, wd 0.01, multiplier 0.3 (rate 0.03): w·(1 − 0.03·0.01) − 0.03·sign(g) on step 1
        float[][] adamw = train(OptimizerConfig.defaults(OptimizerKind.ADAMW, 0.1), 1, false);
        assertEquals(0.5 - 0.5 * 0.03 * 0.01 - 0.03, adamw[0][0], 1e-6);
        assertEquals(2.0 - 2.0 * 0.03 * 0.01 - 0.03, adamw[0][2], 1e-6);
        // the bias is not decayed: 0.3 − 0.1·sign(0.05)
        assertEquals(0.2, adamw[1][0], 1e-6);
        // momentum with coupled decay 0.05, two steps (lr 0.1 then 0.05) on tensor 0, element 0
        // (rate ×0.3): g1 = 0.1 + 0.05·0.5 = 0.125, v1 = 0.125, w1 = 0.5 − 0.03·0.125 = 0.49625;
        // g2 = 0.05 + 0.05·0.49625 = 0.0748125, v2 = 0.9·0.125 + 0.0748125 = 0.1873125,
        // w2 = 0.49625 − 0.015·0.1873125 = 0.4934403125
        float[][] mom = train(OptimizerConfig.defaults(OptimizerKind.MOMENTUM, 0.1).withWeightDecay(0.05), 2, false);
        assertEquals(0.4934403125, mom[0][0], 1e-6);
    }

    /** Optimizer.update as it was before issue 18 (commit a192c29), verbatim but for its name. */
    static final class Legacy {
        private final OptimizerConfig config;
        private final Map<String, NDArray[]> state = new HashMap<>();
        private final Map<String, Integer> steps = new HashMap<>();

        Legacy(OptimizerConfig config) {
            this.config = config;
        }

        void update(TrainableParam p, NDArray g, double lr) {
            NDArray w = p.weight();
            double rate = lr * p.lrMultiplier();
            double wd = p.decay() ? config.weightDecay() : 0;
            int t = steps.merge(p.name(), 1, Integer::sum);
            NDArray grad = g;
            boolean coupledDecay = wd > 0 && config.kind() != OptimizerKind.ADAMW;
            if (coupledDecay) {
                grad = g.add(w.mul(wd));
            }
            NDArray delta;
            switch (config.kind()) {
                case SGD -> delta = grad.mul(rate);
                case MOMENTUM, NESTEROV -> {
                    NDArray[] s = state(p, 1);
                    if (t == 1) {
                        s[0].addi(grad);
                    } else {
                        s[0].muli(config.momentum()).addi(grad);
                    }
                    delta = config.kind() == OptimizerKind.NESTEROV
                            ? grad.add(s[0].mul(config.momentum())).muli(rate) : s[0].mul(rate);
                }
                case ADAM, ADAMW -> {
                    NDArray[] s = state(p, 2);
                    s[0].muli(config.beta1()).addi(grad.mul(1 - config.beta1()));
                    s[1].muli(config.beta2()).addi(grad.square().muli(1 - config.beta2()));
                    double c1 = 1 - Math.pow(config.beta1(), t);
                    double c2 = 1 - Math.pow(config.beta2(), t);
                    NDArray denom = s[1].div(c2).sqrt().addi(config.eps());
                    delta = s[0].div(denom).muli(rate / c1);
                    if (config.kind() == OptimizerKind.ADAMW && wd > 0) {
                        delta.addi(w.mul(rate * wd));
                    }
                }
                case RMSPROP -> {
                    NDArray[] s = state(p, 1);
                    s[0].muli(config.alpha()).addi(grad.square().muli(1 - config.alpha()));
                    delta = grad.div(s[0].sqrt().addi(config.eps())).muli(rate);
                }
                case ADAGRAD -> {
                    NDArray[] s = state(p, 1);
                    s[0].addi(grad.square());
                    delta = grad.div(s[0].sqrt().addi(config.eps())).muli(rate);
                }
                default -> throw new IllegalStateException(config.kind().toString());
            }
            if (p.mask() != null) {
                delta.muli(p.mask());
            }
            w.subi(delta);
        }

        private NDArray[] state(TrainableParam p, int n) {
            return state.computeIfAbsent(p.name(), k -> {
                NDArray[] s = new NDArray[n];
                for (int i = 0; i < n; i++) {
                    s[i] = p.weight().getManager().zeros(p.weight().getShape());
                    NDScope.unregister(s[i]);
                }
                return s;
            });
        }
    }
}
