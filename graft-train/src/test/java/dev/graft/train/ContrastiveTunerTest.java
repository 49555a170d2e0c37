package dev.graft.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.graft.engine.Engines;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** SetFit's pairs and cosine-similarity loss against hand computation. */
class ContrastiveTunerTest {

    @Test
    void cosineSimilarityLossByHand() {
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            // pair 1: (1, 0) and (0, 1) are orthogonal, cos 0, target 1 → 1
            // pair 2: (1, 1) and (2, 0): cos 1/√2, target 0 → 0.5
            // pair 3: (3, 4) and (−3, −4): cos −1, target 0 → 1
            var u = m.create(new float[] {1, 0, 1, 1, 3, 4}, new Shape(3, 2));
            var v = m.create(new float[] {0, 1, 2, 0, -3, -4}, new Shape(3, 2));
            var t = m.create(new float[] {1, 0, 0});
            assertEquals((1 + 0.5 + 1) / 3, ContrastiveTuner.loss(u, v, t).getFloat(), 1e-6);
        }
    }

    @Test
    void pairsAreSetFitsPositiveAndNegativePerSampleAndIteration() {
        int[] labels = {0, 0, 1, 1, 1, 2};
        List<ContrastiveTuner.Pairing> pairs = ContrastiveTuner.pairs(labels, 4, new SplittableRandom(3));
        assertEquals(4 * labels.length * 2, pairs.size());
        int[] positives = new int[labels.length];
        int[] negatives = new int[labels.length];
        for (ContrastiveTuner.Pairing p : pairs) {
            assertEquals(labels[p.a()] == labels[p.b()] ? 1f : 0f, p.target());
            if (p.target() == 1f) {
                positives[p.a()]++;
                // only the class of one sample pairs a sample with itself
                if (labels[p.a()] != 2) {
                    assertNotEquals(p.a(), p.b());
                }
            } else {
                negatives[p.a()]++;
            }
        }
        for (int i = 0; i < labels.length; i++) {
            assertEquals(4, positives[i]);
            assertEquals(4, negatives[i]);
        }
    }
}
