package dev.graft.robust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.graft.GraftInputException;
import dev.graft.checkpoint.Dims;
import dev.graft.checkpoint.Tensor;
import dev.graft.data.Examples;
import dev.graft.engine.Engines;
import dev.graft.experiment.ExperimentConfig.AdversarialSection;
import dev.graft.experiment.ExperimentConfig.TrainSection;
import dev.graft.experiment.TrainSettings;
import dev.graft.model.GraftModel;
import dev.graft.train.AdversarialTraining;
import dev.graft.train.FineTuner;
import dev.graft.train.OptimizerKind;
import dev.graft.train.TrainConfig;
import dev.graft.train.TrainListener;
import dev.graft.train.TrainResult;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Adversarial fine-tuning against an update worked by hand: one SGD step of a linear model on one
 * sample, its FGSM version made from the gradient in {@link AttackTest#handGradient}.
 */
class AdversarialTrainingTest {
    static final float LR = 0.5f;

    /** softmax(W·x + b), in double precision. */
    static double[] softmax(double[] x) {
        double[] z = new double[3];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < 3; c++) {
            z[c] = AttackTest.B[c];
            for (int i = 0; i < 4; i++) {
                z[c] += AttackTest.W[c * 4 + i] * x[i];
            }
            max = Math.max(max, z[c]);
        }
        double sum = 0;
        for (int c = 0; c < 3; c++) {
            z[c] = Math.exp(z[c] - max);
            sum += z[c];
        }
        for (int c = 0; c < 3; c++) {
            z[c] /= sum;
        }
        return z;
    }

    /**
     * W and b after one SGD step on {@code (1 − mix)·CE(x) + mix·CE(x')}: ∂CE/∂W = (p − e_y)·xᵀ and
     * ∂CE/∂b = p − e_y for a linear layer under softmax cross-entropy, with x' = clamp(x + ε·sign(∂CE/∂x)).
     *
     * @return W (12 values, row-major [3, 4]) then b (3)
     */
    static double[] handStep(float[] x, int y, double eps, double mix) {
        double[] g = AttackTest.handGradient(x, y);
        double[] clean = new double[4];
        double[] adv = new double[4];
        for (int i = 0; i < 4; i++) {
            clean[i] = x[i];
            adv[i] = Math.min(1, Math.max(0, x[i] + eps * Math.signum(g[i])));
        }
        double[] p = softmax(clean);
        double[] pa = softmax(adv);
        double[] out = new double[15];
        for (int c = 0; c < 3; c++) {
            double d = p[c] - (c == y ? 1 : 0);
            double da = pa[c] - (c == y ? 1 : 0);
            for (int i = 0; i < 4; i++) {
                double grad = (1 - mix) * d * clean[i] + mix * da * adv[i];
                out[c * 4 + i] = AttackTest.W[c * 4 + i] - LR * grad;
            }
            out[12 + c] = AttackTest.B[c] - LR * ((1 - mix) * d + mix * da);
        }
        return out;
    }

    private static void oneStepMatchesTheHandUpdate(double mix) {
        // the last pixel sits near 1, so its step up is cut by the clamp to [0, 1]
        float[] x = {0.5f, 0.3f, 0.6f, 0.95f};
        int y = 1;
        double eps = 0.1;
        double[] expected = handStep(x, y, eps, mix);
        Examples one = new Examples(new Dims(1, 2, 2), x, new int[] {y}, 3);
        AdversarialTraining adv = new AdversarialTraining(Attack.fgsm(eps), mix, InputRange.of(new Dims(1, 2, 2), null));
        TrainConfig cfg = TrainConfig.simple(OptimizerKind.SGD, LR, 1, 1).withAdversarial(adv);
        try (NDManager m = Engines.pytorch().newBaseManager();
                GraftModel model = AttackTest.linear(m, AttackTest.W, AttackTest.B)) {
            TrainResult r = FineTuner.fit(model, FineTuner.Policy.allTrainable(), one, null, cfg, 0,
                    TrainListener.NONE);
            assertEquals(TrainResult.Status.COMPLETED, r.status(), r.message());
            Map<String, Tensor> state = model.stateDict();
            float[] w = state.get("head.weight").toFloats();
            float[] b = state.get("head.bias").toFloats();
            for (int i = 0; i < 12; i++) {
                assertEquals(expected[i], w[i], 1e-5, "mix " + mix + ": head.weight[" + i / 4 + ", " + i % 4 + "]");
            }
            for (int c = 0; c < 3; c++) {
                assertEquals(expected[12 + c], b[c], 1e-5, "mix " + mix + ": head.bias[" + c + "]");
            }
        }
    }

    @Test
    void oneFgsmStepIsTheHandSgdUpdateOnTheHandPerturbedInput() {
        oneStepMatchesTheHandUpdate(1.0);
    }

    @Test
    void halfAndHalfIsTheMeanOfTheCleanAndTheAdversarialUpdates() {
        oneStepMatchesTheHandUpdate(0.5);
    }

    @Test
    void theSectionReadsAsTheRobustnessSectionDoesAndNamesBadKeys() {
        TrainConfig base = TrainSettings.defaults().withInputRange(InputRange.of(new Dims(1, 2, 2), null));
        AdversarialTraining a = TrainSettings.apply(base, train(new AdversarialSection(null, 0.2, null, null, 0.5)),
                "e: train").adversarial();
        assertEquals(Attack.pgd(0.2, 10, 0.05), a.attack(), "pgd with Madry's step by default, as robustness");
        assertEquals(0.5, a.mix());
        assertEquals(base.adversarial().range(), a.range(), "the data's range is kept");
        assertEquals(1.0, TrainSettings.apply(base, train(new AdversarialSection("fgsm", 0.1, null, null, null)),
                "e: train").adversarial().mix(), "mix 1 by default: adversarial examples only");
        TrainConfig on = TrainSettings.apply(base, train(new AdversarialSection("fgsm", 0.1, null, null, null)), "e");
        assertTrue(!TrainSettings.apply(on, train(new AdversarialSection("none", null, null, null, null)), "e")
                .adversarial().on(), "a strategy turns it off");
        assertRefused("e: train.adversarial.mix: must be in (0, 1]", new AdversarialSection("fgsm", 0.1, null, null,
                0.0));
        assertRefused("e: train.adversarial.mix", new AdversarialSection("fgsm", 0.1, null, null, 1.5));
        assertRefused("e: train.adversarial.method: must be fgsm, pgd or none", new AdversarialSection("cw", 0.1,
                null, null, null));
        assertRefused("e: train.adversarial.eps: required", new AdversarialSection("pgd", null, null, null, null));
        assertRefused("e: train.adversarial: fgsm takes one step", new AdversarialSection("fgsm", 0.1, 3, null,
                null));
        assertRefused("e: train.adversarial.steps", new AdversarialSection("pgd", 0.1, 0, null, null));
        assertRefused("e: train.adversarial: method none", new AdversarialSection("none", 0.1, null, null, null));
    }

    private static void assertRefused(String start, AdversarialSection a) {
        String message = assertThrows(GraftInputException.class, () -> TrainSettings.apply(TrainSettings.defaults(),
                train(a), "e: train")).getMessage();
        assertTrue(message.startsWith(start), message);
    }

    static TrainSection train(AdversarialSection a) {
        return new TrainSection(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, a);
    }
}
