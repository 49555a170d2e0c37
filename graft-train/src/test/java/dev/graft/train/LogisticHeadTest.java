package dev.graft.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.checkpoint.Dims;
import dev.graft.data.Examples;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LogisticHeadTest {

    @Test
    void twoMirroredPointsGiveTheMarginThatSolvesTheStationaryEquationByHand() {
        // x = +1 is class 1, x = -1 class 0: standardized they stay ±1; by symmetry the biases are
        // equal and w1 = -w0 = a, so the objective is -log σ(2a) + λ a², stationary where
        // λ a = 1 - σ(2a); solved here by bisection, independently of the fitter
        double lambda = 0.1;
        double lo = 0;
        double hi = 50;
        for (int i = 0; i < 200; i++) {
            double a = (lo + hi) / 2;
            double f = lambda * a - (1 - 1 / (1 + Math.exp(-2 * a)));
            if (f > 0) {
                hi = a;
            } else {
                lo = a;
            }
        }
        double a = (lo + hi) / 2;
        Examples e = new Examples(new Dims(1), new float[] {1, -1}, new int[] {1, 0}, 2);
        LogisticHead.Fit fit = LogisticHead.fit(e, lambda);
        assertEquals(2 * a, fit.weight()[1][0] - fit.weight()[0][0], 1e-4);
        assertEquals(0, fit.bias()[1] - fit.bias()[0], 1e-4);
    }

    @Test
    void theFitIsAStationaryPointOfTheRegularizedObjective() {
        Examples e = blobs(60, 7, 3, 1.5, 11);
        double lambda = 1e-2;
        LogisticHead.Fit fit = LogisticHead.fit(e, lambda);
        LogisticHead.Standardized s = LogisticHead.Standardized.of(e);
        int k = 3;
        int d = 7;
        double[] theta = new double[k * d + k];
        for (int c = 0; c < k; c++) {
            double b = fit.bias()[c];
            for (int j = 0; j < d; j++) {
                theta[c * d + j] = fit.weight()[c][j] * s.scale[j];
                b += fit.weight()[c][j] * s.mean[j];
            }
            theta[k * d + c] = b;
        }
        double[] grad = new double[theta.length];
        LogisticHead.objective(s, lambda, theta, grad);
        double norm = 0;
        for (double g : grad) {
            norm += g * g;
        }
        // float32 weights bound how close to zero the gradient can be read back
        assertTrue(Math.sqrt(norm) < 1e-4, "gradient norm " + Math.sqrt(norm));
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
