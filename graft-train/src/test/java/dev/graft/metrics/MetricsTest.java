package dev.graft.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Against hand-computed values. */
class MetricsTest {
    @Test
    void confusionPrecisionRecallF1ByHand() {
        int[] truth = {0, 0, 1, 1, 2, 2};
        int[] pred = {0, 1, 1, 1, 2, 0};
        ClassificationMetrics m = ClassificationMetrics.of(truth, pred, 3, 0.5);
        assertArrayEquals(new int[][] {{1, 1, 0}, {0, 2, 0}, {1, 0, 1}}, m.confusion());
        assertEquals(4.0 / 6, m.accuracy(), 1e-12);
        assertArrayEquals(new double[] {0.5, 2.0 / 3, 1.0}, m.precision(), 1e-12);
        assertArrayEquals(new double[] {0.5, 1.0, 0.5}, m.recall(), 1e-12);
        assertArrayEquals(new double[] {0.5, 0.8, 2.0 / 3}, m.f1(), 1e-12);
        assertEquals((0.5 + 0.8 + 2.0 / 3) / 3, m.macroF1(), 1e-12);
        assertEquals(4.0 / 6, m.microF1(), 1e-12);
        assertEquals(0.5, m.loss());
        assertEquals(m.macroF1(), m.get(MetricName.MACRO_F1));
    }

    @Test
    void classesNeverPredictedOrAbsentScoreZero() {
        ClassificationMetrics m = ClassificationMetrics.of(new int[] {0, 0, 1}, new int[] {0, 0, 0}, 3, Double.NaN);
        assertArrayEquals(new double[] {2.0 / 3, 0, 0}, m.precision(), 1e-12);
        assertArrayEquals(new double[] {1, 0, 0}, m.recall(), 1e-12);
        assertEquals(0.8 / 3, m.macroF1(), 1e-12);
    }

    @Test
    void summaryUsesTheSampleStandardDeviation() {
        Summary s = Summary.of(1, 2, 3, 4);
        assertEquals(2.5, s.mean(), 1e-12);
        assertEquals(Math.sqrt(5.0 / 3), s.sd(), 1e-12);
        assertEquals("2.500 ± 1.291", s.format(3));
        assertEquals(0, Summary.of(7).sd());
    }
}
