package dev.graft.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.checkpoint.Dims;
import dev.graft.data.Examples;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LogisticHeadTest {

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    @Test
    void twoMirroredPointsGiveTheMarginThatSolvesTheStationaryEquationByHand() {
        // x = +1 is class 1, x = -1 class 0; standardized they stay ±1. By symmetry the (unpenalized)
        // bias is 0 and the objective is ½w² + 2C log(1 + e^-w), stationary where w = 2C σ(-w),
        // with C = 1/(λ n) = 5; solved here by bisection, independently of the solver
        double lambda = 0.1;
        double c = 1 / (lambda * 2);
        double lo = 0;
        double hi = 50;
        for (int i = 0; i < 200; i++) {
            double w = (lo + hi) / 2;
            if (w - 2 * c * sigmoid(-w) > 0) {
                hi = w;
            } else {
                lo = w;
            }
        }
        double w = (lo + hi) / 2;
        Examples e = new Examples(new Dims(1), new float[] {1, -1}, new int[] {1, 0}, 2);
        LogisticHead.Fit fit = LogisticHead.fit(e, lambda);
        // the head's two rows are ±w/2: their difference is the binary decision function
        assertEquals(w, fit.weight()[1][0] - fit.weight()[0][0], 1e-4);
        assertEquals(0, fit.bias()[1] - fit.bias()[0], 1e-4);
    }

    @Test
    void eachClassesDecisionFunctionIsAStationaryPointOfItsRegularizedObjective() {
        Examples e = blobs(60, 7, 3, 1.5, 11);
        double lambda = 1e-2;
        LogisticHead.Fit fit = LogisticHead.fit(e, lambda);
        LogisticHead.Standardized s = LogisticHead.Standardized.of(e);
        int n = e.size();
        int d = 7;
        double c = 1 / (lambda * n);
        for (int k = 0; k < 3; k++) {
            // back to standardized features, then the gradient of ½‖w‖² + C Σ log(1 + e^{-y(w·z + b)})
            double[] w = new double[d];
            double b = fit.bias()[k];
            for (int j = 0; j < d; j++) {
                w[j] = fit.weight()[k][j] * s.scale[j];
                b += fit.weight()[k][j] * s.mean[j];
            }
            double[] grad = w.clone();
            double gb = 0;
            for (int i = 0; i < n; i++) {
                double y = e.labels()[i] == k ? 1 : -1;
                double m = b;
                for (int j = 0; j < d; j++) {
                    m += w[j] * s.x[i * d + j];
                }
                double g = -c * y * sigmoid(-y * m);
                for (int j = 0; j < d; j++) {
                    grad[j] += g * s.x[i * d + j];
                }
                gb += g;
            }
            double norm = gb * gb;
            for (double v : grad) {
                norm += v * v;
            }
            // float32 weights bound how close to zero the gradient can be read back
            assertTrue(Math.sqrt(norm) < 1e-3, "class " + k + ": gradient norm " + Math.sqrt(norm));
        }
    }

    @Test
    void separableBlobsAreLearnedAndLambdaIsChosenOnValidation() {
        Examples train = blobs(40, 5, 4, 0.3, 1);
        Examples validation = blobs(40, 5, 4, 0.3, 2);
        LogisticHead.Fit fit = LogisticHead.fit(train, validation, 0);
        assertTrue(fit.selection().contains("validation"), fit.selection());
        Examples test = blobs(100, 5, 4, 0.3, 3);
        int correct = 0;
        for (int i = 0; i < test.size(); i++) {
            double[] z = fit.logits(test.features(), i * 5);
            int arg = 0;
            for (int c = 1; c < z.length; c++) {
                arg = z[c] > z[arg] ? c : arg;
            }
            correct += arg == test.labels()[i] ? 1 : 0;
        }
        assertTrue(correct >= 98, correct + " of 100");
        LogisticHead.Fit cv = LogisticHead.fit(train, null, 0);
        assertTrue(cv.selection().contains("cross-validation"), cv.selection());
    }

    /** {@code n} samples of {@code k} classes around the unit axes (class c at e_c·3), noise sd {@code noise}. */
    private static Examples blobs(int n, int d, int k, double noise, long seed) {
        Random r = new Random(seed);
        float[] f = new float[n * d];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % k;
            for (int j = 0; j < d; j++) {
                f[i * d + j] = (float) ((j == y[i] ? 3 : 0) + noise * r.nextGaussian() + 5);
            }
        }
        return new Examples(new Dims(d), f, y, k);
    }
}
