package dev.graft.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.graft.data.RegressionTargets;
import dev.graft.engine.Engines;
import dev.graft.train.Evaluator;
import org.junit.jupiter.api.Test;

/** RMSE, MAE, R² and the three losses against values worked out by hand. */
class RegressionMetricsTest {

    @Test
    void rmseMaeAndR2OfATinyVector() {
        // truth 1, 2, 3, 4 (mean 2.5, Σ(y − ȳ)² = 5); predictions 1.5, 2, 2, 5: errors −0.5, 0, 1, −1
        RegressionMetrics m = RegressionMetrics.of(new double[] {1, 2, 3, 4}, new double[] {1.5, 2, 2, 5}, Double.NaN);
        // Σe² = 0.25 + 0 + 1 + 1 = 2.25: RMSE √(2.25/4) = 0.75; MAE 2.5/4 = 0.625; R² 1 − 2.25/5 = 0.55
        assertEquals(0.75, m.rmse(), 1e-12);
        assertEquals(0.625, m.mae(), 1e-12);
        assertEquals(0.55, m.r2(), 1e-12);
    }

    @Test
    void r2IsOneForPerfectZeroForTheMeanAndNaNForAConstantTruth() {
        assertEquals(1, RegressionMetrics.of(new double[] {1, 2, 3}, new double[] {1, 2, 3}, 0).r2(), 1e-12);
        assertEquals(0, RegressionMetrics.of(new double[] {1, 2, 3}, new double[] {2, 2, 2}, 0).r2(), 1e-12);
        assertTrue(Double.isNaN(RegressionMetrics.of(new double[] {2, 2}, new double[] {1, 3}, 0).r2()));
        assertThrows(IllegalArgumentException.class, () -> RegressionMetrics.of(new double[2], new double[3], 0));
    }

    @Test
    void theLossesAndTheirGradientsAtKnownPoints() {
        RegressionLoss huber = new RegressionLoss(RegressionLoss.Kind.HUBER, 1.0);
        // |d| < δ: ½d², gradient d; |d| ≥ δ: δ(|d| − ½δ), gradient δ·sign(d)
        assertEquals(0.125, huber.of(0.5), 1e-12);
        assertEquals(0.5, huber.gradient(0.5), 1e-12);
        assertEquals(2.5, huber.of(-3), 1e-12);
        assertEquals(-1, huber.gradient(-3), 1e-12);
        assertEquals(9, RegressionLoss.MSE.of(-3), 1e-12);
        assertEquals(-6, RegressionLoss.MSE.gradient(-3), 1e-12);
        RegressionLoss mae = new RegressionLoss(RegressionLoss.Kind.MAE, 1);
        assertEquals(3, mae.of(-3), 1e-12);
        assertEquals(-1, mae.gradient(-3), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new RegressionLoss(RegressionLoss.Kind.HUBER, 0));
    }

    @Test
    void theEngineHuberLossAndGradientMatchTheHandValues() {
        // predictions 0.5 and 2, targets 0 and −1 (δ = 1): d = 0.5 (quadratic), 3 (linear)
        // loss mean(0.125, 2.5) = 1.3125; ∂/∂ŷ = (0.5, 1) / 2 = (0.25, 0.5)
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            NDArray y = m.create(new float[] {0.5f, 2f}, new Shape(2, 1));
            y.setRequiresGradient(true);
            NDArray t = m.create(new float[] {0f, -1f}, new Shape(2, 1));
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray loss = new RegressionLoss(RegressionLoss.Kind.HUBER, 1.0).of(y, t);
                assertEquals(1.3125, loss.getFloat(), 1e-6);
                gc.backward(loss);
            }
            float[] g = y.getGradient().toFloatArray();
            assertEquals(0.25, g[0], 1e-6);
            assertEquals(0.5, g[1], 1e-6);
        }
    }

    @Test
    void evaluatorDestandardizesOutputsBeforeMeasuring() {
        // pool mean 10, std 2: outputs 0.5 and −1 are 11 and 8; truths 12 and 8 → errors 1, 0
        RegressionTargets t = new RegressionTargets(new float[] {12, 8}, 10, 2, RegressionLoss.MSE);
        RegressionMetrics m = Evaluator.regression(new float[] {0.5f, -1f}, t);
        assertEquals(Math.sqrt(0.5), m.rmse(), 1e-9);
        assertEquals(0.5, m.mae(), 1e-9);
        assertEquals(11, m.predicted()[0], 1e-9);
        // the loss is the training loss on standardized targets: z = (1, −1), outputs (0.5, −1): mean(0.25, 0)
        assertEquals(0.125, m.loss(), 1e-9);
    }

    @Test
    void standardizationUsesThePoolsPopulationStatistics() {
        RegressionTargets t = RegressionTargets.raw(new float[] {1, 3}, RegressionLoss.MSE)
                .standardizedBy(new float[] {1, 3});
        assertEquals(2, t.mean(), 1e-12);
        assertEquals(1, t.std(), 1e-12);
        assertEquals(-1, t.standardized(0), 1e-6);
        assertEquals(1, RegressionTargets.raw(new float[] {5, 5}, RegressionLoss.MSE)
                .standardizedBy(new float[] {5, 5}).std(), 1e-12);
    }
}
