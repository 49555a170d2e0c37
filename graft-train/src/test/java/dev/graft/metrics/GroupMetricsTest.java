package dev.graft.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.graft.data.Groups;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Metrics per group against numbers worked out by hand. */
class GroupMetricsTest {
    // six samples of three classes in groups a (0..2) and b (3..5); group c has no sample
    static final int[] TRUTH = {0, 0, 1, 1, 2, 2};
    static final int[] PRED = {0, 1, 1, 1, 2, 2};
    static final int[] GROUP = {0, 0, 0, 1, 1, 1};
    static final List<String> NAMES = List.of("a", "b", "c");

    @Test
    void perGroupAccuracyF1AndCountMatchTheHandComputedValues() {
        GroupMetrics m = GroupMetrics.of(TRUTH, PRED, 3, GROUP, NAMES);
        // group c has no sample: left out, not reported as 0
        assertEquals(2, m.groups().size());
        GroupMetrics.Group a = m.groups().get(0);
        assertEquals("a", a.name());
        assertEquals(3, a.count());
        // a: truth 0,0,1 predicted 0,1,1: 2 of 3 right
        assertEquals(2.0 / 3, a.accuracy(), 1e-12);
        // class 0: p 1/1, r 1/2, F1 2/3; class 1: p 1/2 (two predicted 1 in a), r 1/1, F1 2/3
        assertEquals(2.0 / 3, a.macroF1(), 1e-12);
        GroupMetrics.Group b = m.groups().get(1);
        assertEquals(3, b.count());
        assertEquals(1.0, b.accuracy(), 1e-12);
        // classes 1 and 2 present, both F1 1; class 0 is absent from b and does not count
        assertEquals(1.0, b.macroF1(), 1e-12);
        assertEquals("a", m.worstGroup());
        assertEquals(2.0 / 3, m.worstAccuracy(), 1e-12);
        assertEquals(1.0 / 3, m.gap(), 1e-12);
    }

    @Test
    void theCountWeightedMeanOfGroupAccuraciesIsTheOverallAccuracy() {
        ClassificationMetrics m = ClassificationMetrics.of(TRUTH, PRED, 3, Double.NaN, new Groups(NAMES, GROUP));
        double weighted = m.groups().groups().stream().mapToDouble(g -> g.count() * g.accuracy()).sum() / TRUTH.length;
        assertEquals(5.0 / 6, m.accuracy(), 1e-12);
        assertEquals(m.accuracy(), weighted, 1e-12);
    }

    @Test
    void aPredictionIntoAnotherGroupsClassLowersPrecisionWithinTheGroupOnly() {
        // group a: truth 0,0 predicted 0,2; class 2 is predicted in a but absent from a's truth
        GroupMetrics m = GroupMetrics.of(new int[] {0, 0, 2}, new int[] {0, 2, 2}, 3, new int[] {0, 0, 1},
                List.of("a", "b"));
        // class 0 in a: p 1/1, r 1/2 → F1 2/3; class 2 is not present in a, so a's macro-F1 is 2/3
        assertEquals(2.0 / 3, m.groups().get(0).macroF1(), 1e-12);
        assertEquals(0.5, m.groups().get(0).accuracy(), 1e-12);
        assertEquals(0.5, m.gap(), 1e-12);
    }

    @Test
    void withoutGroupsThereIsNoBreakdown() {
        assertNull(ClassificationMetrics.of(TRUTH, PRED, 3, Double.NaN).groups());
        assertNull(GroupMetrics.of(new int[0], new int[0], 3, new int[0], NAMES));
    }
}
