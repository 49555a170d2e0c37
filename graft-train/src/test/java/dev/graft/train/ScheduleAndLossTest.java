package dev.graft.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.graft.engine.Engines;
import org.junit.jupiter.api.Test;

/** Schedules and the loss against PyTorch 1.13's values and hand computation. */
class ScheduleAndLossTest {

    @Test
    void oneCycleMatchesPyTorch() {
        // torch.optim.lr_scheduler.OneCycleLR(max_lr=0.1, total_steps=20, pct_start=0.3,
        // div_factor=25, final_div_factor=1e4, anneal_strategy='cos'), read before each step
        double[] torch = {0.004, 0.01316718427, 0.03716718427, 0.06683281573, 0.09083281573, 0.1, 0.098746400624,
            0.095048463201, 0.089091617757, 0.081174565395, 0.071694300179, 0.061126202194, 0.0500002, 0.038874197806,
            0.028306099821, 0.018825834605, 0.010908782243, 0.004951936799, 0.001253999376, 4e-07};
        Schedule s = new Schedule.OneCycle(0.3, 25, 1e4);
        for (int i = 0; i < torch.length; i++) {
            assertEquals(torch[i], s.lr(0.1, i, 20), 1e-9, "step " + i);
        }
    }

    @Test
    void stepExponentialConstantAndCosineByHand() {
        Schedule step = new Schedule.Step(10, 0.5);
        assertEquals(1.0, step.lr(1, 9, 100));
        assertEquals(0.5, step.lr(1, 10, 100));
        assertEquals(0.25, step.lr(1, 25, 100));
        assertEquals(0.729, new Schedule.Exponential(0.9).lr(1, 3, 100), 1e-12);
        assertEquals(0.3, new Schedule.Constant().lr(0.3, 77, 100));
        Schedule cos = new Schedule.CosineWarmup(2, 0);
        assertEquals(0.5, cos.lr(1, 0, 12), 1e-12);
        assertEquals(1.0, cos.lr(1, 1, 12), 1e-12);
        assertEquals(1.0, cos.lr(1, 2, 12), 1e-12);
        assertEquals(0.5 * (1 + Math.cos(Math.PI * 5 / 9)), cos.lr(1, 7, 12), 1e-12);
        assertEquals(0.0, cos.lr(1, 11, 12), 1e-12);
        assertEquals(0.1, new Schedule.CosineWarmup(0, 0.1).lr(1, 11, 12), 1e-12);
    }

    static float loss(float[] targets, float[] weights) {
        float[] logits = {1, 2, 3, 1, 0, 0, 0.5f, -1, 2};
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            return Losses.crossEntropy(m.create(logits, new Shape(3, 3)), m.create(targets, new Shape(3, 3)),
                    m.create(weights)).getFloat();
        }
    }

    @Test
    void crossEntropyMatchesPyTorch() {
        int[] y = {2, 0, 1};
        float[] ones = {1, 1, 1};
        // F.cross_entropy(logits, y) and with weight=[1,2,3], and with label_smoothing=0.1
        assertEquals(1.400120735168457, loss(Losses.targets(y, 3, 0), ones), 1e-6);
        assertEquals(1.3761476278305054, loss(Losses.targets(y, 3, 0), new float[] {1, 2, 3}), 1e-6);
        assertEquals(1.405676245689392, loss(Losses.targets(y, 3, 0.1), ones), 1e-6);
    }

    @Test
    void crossEntropyByHandForOneSample() {
        // one sample, logits [0, ln 3]: p = [1/4, 3/4]; target class 1 -> -ln(3/4)
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            float v = Losses.crossEntropy(m.create(new float[] {0, (float) Math.log(3)}, new Shape(1, 2)),
                    m.create(new float[] {0, 1}, new Shape(1, 2)), m.create(new float[] {1, 1})).getFloat();
            assertEquals(-Math.log(0.75), v, 1e-6);
            float soft = Losses.crossEntropy(m.create(new float[] {0, (float) Math.log(3)}, new Shape(1, 2)),
                    m.create(new float[] {0.5f, 0.5f}, new Shape(1, 2)), m.create(new float[] {1, 1})).getFloat();
            assertEquals(-0.5 * Math.log(0.25) - 0.5 * Math.log(0.75), soft, 1e-6);
        }
        float[] q = Losses.targets(new int[] {1}, 4, 0.2);
        assertEquals(0.05f, q[0], 1e-7f);
        assertEquals(0.85f, q[1], 1e-7f);
    }
}
