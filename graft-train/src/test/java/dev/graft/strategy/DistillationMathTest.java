package dev.graft.strategy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.graft.engine.Engines;
import org.junit.jupiter.api.Test;

/** The distillation term and its gradient against sums worked out by hand in double precision. */
class DistillationMathTest {
    static final double[][] T = {{2, 0, -1}, {0.5, 0.5, 3}};
    static final double[][] S = {{1, 1, 0}, {-2, 0, 1}};

    static double[] softmax(double[] z, double temperature) {
        double[] e = new double[z.length];
        double sum = 0;
        for (int i = 0; i < z.length; i++) {
            e[i] = Math.exp(z[i] / temperature);
            sum += e[i];
        }
        for (int i = 0; i < z.length; i++) {
            e[i] /= sum;
        }
        return e;
    }

    static NDArray array(NDManager m, double[][] v) {
        float[] f = new float[v.length * v[0].length];
        for (int i = 0; i < v.length; i++) {
            for (int j = 0; j < v[0].length; j++) {
                f[i * v[0].length + j] = (float) v[i][j];
            }
        }
        return m.create(f, new Shape(v.length, v[0].length));
    }

    @Test
    void softTermIsTSquaredKlAndItsGradientIsTOverBTimesQMinusP() {
        double temperature = 2;
        double expected = 0;
        double[] gradient = new double[6];
        for (int i = 0; i < 2; i++) {
            double[] p = softmax(T[i], temperature);
            double[] q = softmax(S[i], temperature);
            for (int c = 0; c < 3; c++) {
                expected += temperature * temperature * p[c] * Math.log(p[c] / q[c]) / 2;
                gradient[i * 3 + c] = temperature / 2 * (q[c] - p[c]);
            }
        }
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            NDArray t = array(m, T);
            NDArray s = array(m, S);
            s.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray loss = Distillation.softTerm(t, s, temperature);
                assertEquals(expected, loss.getFloat(), 1e-6);
                gc.backward(loss);
            }
            float[] g = s.getGradient().toFloatArray();
            double[] got = new double[6];
            for (int i = 0; i < 6; i++) {
                got[i] = g[i];
            }
            assertArrayEquals(gradient, got, 1e-6);
        }
    }

    @Test
    void hardTermIsTheCrossEntropyAgainstTheTeachersArgmax() {
        // teacher argmax: class 0, then class 2
        double expected = -(Math.log(softmax(S[0], 1)[0]) + Math.log(softmax(S[1], 1)[2])) / 2;
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            assertEquals(expected, Distillation.hardTerm(array(m, T), array(m, S)).getFloat(), 1e-6);
        }
    }
}
