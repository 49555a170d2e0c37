package dev.graft.retention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.graft.checkpoint.DType;
import dev.graft.checkpoint.Dims;
import dev.graft.checkpoint.Tensor;
import dev.graft.data.Examples;
import dev.graft.engine.Engines;
import dev.graft.model.GraftModel;
import dev.graft.model.ModelLayout;
import dev.graft.model.SpecParser;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** EWC's Fisher and penalty, and LwF's term, against sums worked out by hand in double precision. */
class SourceProtectionMathTest {
    static final ModelLayout SOFTMAX = ModelLayout.of(SpecParser.parse("softmax", """
            input: [3]
            layers:
              - {name: head, type: linear, out: 2}
            """));
    static final double[][] W = {{0.5, -1.0, 0.25}, {-0.3, 0.8, 1.2}};
    static final double[] B = {0.1, -0.2};
    static final double[][] X = {{1, 2, 0}, {0, -1, 3}, {2, 0.5, -1}};
    static final int[] Y = {0, 1, 1};

    static Tensor tensor(Dims dims, double... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            b.putFloat((float) v);
        }
        return Tensor.of(DType.F32, dims, b.flip());
    }

    static Map<String, Tensor> state() {
        Map<String, Tensor> s = new LinkedHashMap<>();
        s.put("head.weight", tensor(new Dims(2, 3), W[0][0], W[0][1], W[0][2], W[1][0], W[1][1], W[1][2]));
        s.put("head.bias", tensor(new Dims(2), B[0], B[1]));
        return s;
    }

    @Test
    void fisherIsTheMeanSquaredPerSampleGradientOfTheLogLikelihood() {
        float[] features = new float[9];
        for (int i = 0; i < 3; i++) {
            for (int k = 0; k < 3; k++) {
                features[i * 3 + k] = (float) X[i][k];
            }
        }
        Examples data = new Examples(new Dims(3), features, Y, 2);
        Map<String, float[]> f = Fisher.diagonal(SOFTMAX, state(), data, 3, null);

        // softmax regression: d(−log p_y)/dW[c][k] = (p_c − [c = y])·x_k, d/db[c] = p_c − [c = y]
        double[] fw = new double[6];
        double[] fb = new double[2];
        for (int i = 0; i < 3; i++) {
            double[] z = new double[2];
            for (int c = 0; c < 2; c++) {
                z[c] = B[c];
                for (int k = 0; k < 3; k++) {
                    z[c] += W[c][k] * X[i][k];
                }
            }
            double max = Math.max(z[0], z[1]);
            double e0 = Math.exp(z[0] - max);
            double e1 = Math.exp(z[1] - max);
            double[] p = {e0 / (e0 + e1), e1 / (e0 + e1)};
            for (int c = 0; c < 2; c++) {
                double g = p[c] - (c == Y[i] ? 1 : 0);
                fb[c] += g * g / 3;
                for (int k = 0; k < 3; k++) {
                    fw[c * 3 + k] += g * X[i][k] * g * X[i][k] / 3;
                }
            }
        }
        assertArrayEquals(toFloat(fw), f.get("head.weight"), 1e-5f);
        assertArrayEquals(toFloat(fb), f.get("head.bias"), 1e-5f);
    }

    @Test
    void ewcPenaltyIsHalfLambdaTimesFisherWeightedSquaredDistance() {
        Map<String, Tensor> anchors = new LinkedHashMap<>();
        anchors.put("head.weight", tensor(new Dims(2, 3), 0, 0, 0, 1, 1, 1));
        anchors.put("head.bias", tensor(new Dims(2), 0.1, 0.3));
        Map<String, float[]> fisher = new LinkedHashMap<>();
        fisher.put("head.weight", new float[] {1, 2, 3, 0.5f, 0, 4});
        fisher.put("head.bias", new float[] {10, 0.25f});
        double lambda = 0.7;
        double expected = 0;
        double[] w = {W[0][0], W[0][1], W[0][2], W[1][0], W[1][1], W[1][2]};
        double[] w0 = {0, 0, 0, 1, 1, 1};
        for (int i = 0; i < 6; i++) {
            expected += lambda / 2 * fisher.get("head.weight")[i] * (w[i] - w0[i]) * (w[i] - w0[i]);
        }
        expected += lambda / 2 * (10 * (B[0] - 0.1) * (B[0] - 0.1) + 0.25 * (B[1] - 0.3) * (B[1] - 0.3));
        try (NDManager m = Engines.pytorch().newBaseManager(); GraftModel model = GraftModel.build(SOFTMAX, m)) {
            model.load(state());
            ElasticWeightConsolidation ewc = new ElasticWeightConsolidation(anchors, fisher, lambda);
            ewc.start(model, m);
            NDArray loss = ewc.loss(model, m.zeros(new Shape(1, 3)), null);
            assertEquals(expected, loss.getFloat(), 1e-5);
        }
    }

    @Test
    void lwfTermIsTheCrossEntropyOfSoftenedOutputs() {
        double[][] teacher = {{2, 0, -1}, {0.5, 0.5, 3}};
        double[][] student = {{1, 1, 0}, {-2, 0, 1}};
        double t = 2;
        double expected = 0;
        for (int i = 0; i < 2; i++) {
            double[] p = softmax(teacher[i], t);
            double[] q = softmax(student[i], t);
            for (int c = 0; c < 3; c++) {
                expected -= p[c] * Math.log(q[c]) / 2;
            }
        }
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            NDArray a = m.create(new float[] {2, 0, -1, 0.5f, 0.5f, 3}, new Shape(2, 3));
            NDArray b = m.create(new float[] {1, 1, 0, -2, 0, 1}, new Shape(2, 3));
            assertEquals(expected, LearningWithoutForgetting.term(a, b, t).getFloat(), 1e-6);
        }
    }

    static double[] softmax(double[] z, double t) {
        double sum = 0;
        double[] e = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            e[i] = Math.exp(z[i] / t);
            sum += e[i];
        }
        for (int i = 0; i < z.length; i++) {
            e[i] /= sum;
        }
        return e;
    }

    static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }
}
