package dev.graft.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.checkpoint.Dims;
import dev.graft.data.Examples;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RebalancerTest {
    static Examples imbalanced() {
        int[] labels = {0, 0, 0, 0, 0, 0, 1, 1, 2, 2, 2, 2};
        float[] f = new float[labels.length * 2];
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < labels.length; i++) {
            f[i * 2] = (float) (labels[i] * 10 + r.nextDouble());
            f[i * 2 + 1] = (float) r.nextDouble();
        }
        return new Examples(new Dims(2), f, labels, 3);
    }

    @Test
    void classWeightsAreNOverKTimesCount() {
        assertArrayEquals(new float[] {12f / 18, 12f / 6, 12f / 12}, Rebalancer.classWeights(imbalanced()), 1e-6f);
    }

    @Test
    void oversamplingTopsUpWithOwnClassCopies() {
        Examples e = imbalanced();
        Examples o = Rebalancer.oversample(e, new SplittableRandom(1));
        assertArrayEquals(new int[] {6, 6, 6}, o.classCounts());
        for (int i = 0; i < o.size(); i++) {
            boolean found = false;
            for (int j = 0; j < e.size(); j++) {
                found |= java.util.Arrays.equals(o.sample(i), e.sample(j)) && o.labels()[i] == e.labels()[j];
            }
            assertTrue(found, "every sample is an original of its class");
        }
    }

    @Test
    void smoteSamplesLieBetweenTwoSamplesOfTheirClass() {
        Examples e = imbalanced();
        Examples s = Rebalancer.smote(e, 5, new SplittableRandom(2));
        assertArrayEquals(new int[] {6, 6, 6}, s.classCounts());
        for (int i = e.size(); i < s.size(); i++) {
            float[] x = s.sample(i);
            boolean onSegment = false;
            for (int a = 0; a < e.size(); a++) {
                for (int b = 0; b < e.size(); b++) {
                    if (e.labels()[a] != s.labels()[i] || e.labels()[b] != s.labels()[i]) {
                        continue;
                    }
                    float[] pa = e.sample(a);
                    float[] pb = e.sample(b);
                    double u = (x[0] - pa[0]) / (pb[0] - pa[0] == 0 ? 1 : pb[0] - pa[0]);
                    if (u >= -1e-5 && u <= 1 + 1e-5 && Math.abs(pa[1] + u * (pb[1] - pa[1]) - x[1]) < 1e-4
                            && Math.abs(pa[0] + u * (pb[0] - pa[0]) - x[0]) < 1e-4) {
                        onSegment = true;
                    }
                }
            }
            assertTrue(onSegment, "synthetic sample " + i + " interpolates two samples of class " + s.labels()[i]);
        }
        assertEquals(e.size(), java.util.stream.IntStream.range(0, e.size())
                .filter(i -> java.util.Arrays.equals(s.sample(i), e.sample(i))).count(), "originals kept first");
    }
}
