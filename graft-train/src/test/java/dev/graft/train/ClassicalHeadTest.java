package dev.graft.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.checkpoint.Dims;
import dev.graft.data.Examples;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.common.nearest.KNNTrainer;

/** Each classical head's decision function on tiny sets, against values worked out by hand. */
class ClassicalHeadTest {
    private static Examples points(int d, float[] f, int... labels) {
        return new Examples(new Dims(d), f, labels, 2);
    }

    private static ClassicalHeadKind.Grid c(double c) {
        return new ClassicalHeadKind.Grid(c, 0, 0, 0, KNNTrainer.Distance.COSINE);
    }

    @Test
    void nearestNeighboursVoteByCosine() {
        Examples train = points(2, new float[] {1, 0, 1, 0.2f, 0, 1, 0.2f, 1}, 0, 0, 1, 1);
        // (1, 0.1) is nearest (1, 0) and (1, 0.2); (0.9, 1) is at cosine 0.860 from (0.2, 1), 0.802 from (1, 0.2)
        Examples query = points(2, new float[] {1, 0.1f, 0.1f, 1, 0.9f, 1}, 0, 1, 1);
        ClassicalHead one = ClassicalHead.fit(ClassicalHeadKind.KNN,
                List.of(new ClassicalHeadKind.Grid(0, 0, 0, 1, KNNTrainer.Distance.COSINE)), train, null, 0);
        float[] p = one.probabilities(query);
        assertArrayEquals(new float[] {1, 0, 0, 1, 0, 1}, p, 1e-6f);
        // three neighbours of (1, 0.1): both class-0 points and (0.2, 1) (cosine 0.293 against (0, 1)'s 0.0995)
        ClassicalHead three = ClassicalHead.fit(ClassicalHeadKind.KNN,
                List.of(new ClassicalHeadKind.Grid(0, 0, 0, 3, KNNTrainer.Distance.COSINE)), train, null, 0);
        float[] q = three.probabilities(query);
        assertEquals(2 / 3f, q[0], 1e-6f);
        assertEquals(1 / 3f, q[1], 1e-6f);
    }

    @Test
    void logisticRegressionSolvesItsOptimalityConditionByHand() {
        // x = −1 (class 0) and +1 (class 1): standardized by the sample deviation √2 they are ±1/√2,
        // and by symmetry b = 0; the minimum of ½w² + C·Σ log(1 + e^(−y w z)) has
        // w = 2C·(1/√2)·σ(−w/√2), and p(class 1 | x) = σ(w x/√2). Solved here by bisection.
        Examples train = points(1, new float[] {-1, 1}, 0, 1);
        double cost = 1;
        double lo = 0;
        double hi = 10;
        for (int i = 0; i < 200; i++) {
            double w = (lo + hi) / 2;
            if (w - 2 * cost / Math.sqrt(2) / (1 + Math.exp(w / Math.sqrt(2))) > 0) {
                hi = w;
            } else {
                lo = w;
            }
        }
        double w = lo / Math.sqrt(2);
        ClassicalHead h = ClassicalHead.fit(ClassicalHeadKind.LOGISTIC_REGRESSION, List.of(c(cost)), train, null, 0);
        float[] p = h.probabilities(points(1, new float[] {1, 0, -2}, 1, 0, 0));
        assertEquals(1 / (1 + Math.exp(-w)), p[1], 1e-4);
        assertEquals(0.5, p[3], 1e-6);
        assertEquals(1 / (1 + Math.exp(2 * w)), p[5], 1e-4);
    }

    @Test
    void linearSvmFindsTheMaximumMarginBoundary() {
        // ±1 and ±3, classes by sign: the widest margin puts the boundary at 0 with the
        // support vectors ±1 on the margins, so the decision value at x is x (after standardizing
        // and back the scale cancels); a large C makes the soft margin hard.
        Examples train = points(1, new float[] {-3, -1, 1, 3}, 0, 0, 1, 1);
        ClassicalHead h = ClassicalHead.fit(ClassicalHeadKind.LINEAR_SVM, List.of(c(1e4)), train, null, 0);
        float[] p = h.probabilities(points(1, new float[] {0.5f, -0.25f, 0}, 1, 0, 0));
        // a softmax over the classes' decision values ±f(x): p1 = σ(2 f(x)) with f(x) = x
        assertEquals(1 / (1 + Math.exp(-1.0)), p[1], 2e-3);
        assertEquals(1 / (1 + Math.exp(0.5)), p[3], 2e-3);
        assertEquals(0.5, p[5], 2e-3);
    }

    /**
     * A constant feature (a dead ReLU unit, a blank image border) has deviation 0; standardized it
     * made every score NaN. Left out, the two-feature SVM is the one-feature SVM above, exactly.
     */
    @Test
    void aConstantFeatureIsLeftOutAndTheLinearHeadsStayFinite() {
        Examples train = points(3, new float[] {-3, 0, 7, -1, 0, 7, 1, 0, 7, 3, 0, 7}, 0, 0, 1, 1);
        ClassicalHead h = ClassicalHead.fit(ClassicalHeadKind.LINEAR_SVM, List.of(c(1e4)), train, null, 0);
        float[] p = h.probabilities(points(3, new float[] {0.5f, 0, 7, -0.25f, 5, 7, 0, 0, 7}, 1, 0, 0));
        assertEquals(1 / (1 + Math.exp(-1.0)), p[1], 2e-3);
        assertEquals(1 / (1 + Math.exp(0.5)), p[3], 2e-3);
        assertEquals(0.5, p[5], 2e-3);
        ClassicalHead lr = ClassicalHead.fit(ClassicalHeadKind.LOGISTIC_REGRESSION, List.of(c(1)), train, null, 0);
        float[] q = lr.probabilities(points(3, new float[] {2, 0, 7, -2, 0, 7}, 1, 0));
        for (float v : q) {
            assertTrue(Float.isFinite(v), java.util.Arrays.toString(q));
        }
        assertEquals(1, ClassicalHead.argmax(q, 0, 2));
        assertEquals(0, ClassicalHead.argmax(q, 1, 2));
    }

    @Test
    void randomForestSeparatesWellSeparatedClassesAndVotes() {
        Examples train = points(1, new float[] {0, 1, 2, 10, 11, 12}, 0, 0, 0, 1, 1, 1);
        ClassicalHead h = ClassicalHead.fit(ClassicalHeadKind.RANDOM_FOREST,
                List.of(new ClassicalHeadKind.Grid(0, 50, 2, 0, KNNTrainer.Distance.COSINE)), train, null, 0);
        float[] p = h.probabilities(points(1, new float[] {-5, 1, 11, 30}, 0, 0, 1, 1));
        for (int i = 0; i < 4; i++) {
            // the votes are fractions of the 50 trees, summing to 1
            assertEquals(1, p[2 * i] + p[2 * i + 1], 1e-6);
            assertEquals(Math.round(p[2 * i] * 50), p[2 * i] * 50, 1e-3);
            assertEquals(i < 2 ? 0 : 1, ClassicalHead.argmax(p, i, 2), "sample " + i);
        }
    }

    @Test
    void theGridPointIsChosenOnValidation(@TempDir Path dir) throws Exception {
        // k = 1 copies the label noise of (0.95, 0.05); three neighbours outvote it
        Examples train = points(2, new float[] {1, 0, 1, 0.1f, 0.95f, 0.05f, 0, 1, 0.1f, 1, 0.05f, 0.9f},
                0, 0, 1, 1, 1, 1);
        Examples validation = points(2, new float[] {0.96f, 0.04f, 0.97f, 0.03f}, 0, 0);
        ClassicalHead h = ClassicalHead.fit(ClassicalHeadKind.KNN,
                List.of(new ClassicalHeadKind.Grid(0, 0, 0, 1, KNNTrainer.Distance.COSINE),
                        new ClassicalHeadKind.Grid(0, 0, 0, 3, KNNTrainer.Distance.COSINE)), train, validation, 0);
        assertTrue(h.description().contains("k 3"), h.description());
        // the saved file predicts what the fitted head does
        Path file = dir.resolve("head.tribuo");
        h.save(file);
        Examples query = points(2, new float[] {0.96f, 0.04f, 0.2f, 1, 1, 1}, 0, 1, 1);
        assertArrayEquals(h.probabilities(query), ClassicalHead.load(file, 2).probabilities(query));
    }

    @Test
    void everyKindReadsBackFromItsFile(@TempDir Path dir) throws Exception {
        Examples train = points(2, new float[] {1, 0, 1, 0.2f, 0.8f, 0.1f, 0, 1, 0.2f, 1, 0.1f, 0.7f}, 0, 0, 0, 1, 1, 1);
        Examples query = points(2, new float[] {0.9f, 0.3f, 0.3f, 0.9f, 1, 1}, 0, 1, 1);
        for (ClassicalHeadKind kind : ClassicalHeadKind.values()) {
            ClassicalHead h = ClassicalHead.fit(kind,
                    List.of(new ClassicalHeadKind.Grid(1, 5, 3, 3, KNNTrainer.Distance.L2)), train, null, 0);
            Path file = dir.resolve(kind.keyword() + ".tribuo");
            h.save(file);
            assertArrayEquals(h.probabilities(query), ClassicalHead.load(file, 2).probabilities(query), kind.keyword());
        }
    }
}
