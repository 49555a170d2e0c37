package dev.graft.robust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.experiment.Comparison;
import dev.graft.experiment.RunRecord;
import dev.graft.metrics.ClassificationMetrics;
import dev.graft.train.TrainResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The comparison's robust-accuracy column: present only when some run was attacked. */
class RobustColumnTest {
    static RunRecord run(long seed, Double robust) {
        ClassificationMetrics m = ClassificationMetrics.of(new int[] {0, 1, 1, 0}, new int[] {0, 1, 0, 0}, 2, 0.5);
        return new RunRecord("scratch", 0, seed, TrainResult.Status.COMPLETED, "", robust == null ? m
                : m.withRobustAccuracy(robust), 1, 0, 1, 1, List.of(), List.of(), null, null);
    }

    @Test
    void robustAccuracyIsAveragedOverSeedsAndShownOnlyWhenMeasured() {
        Comparison attacked = new Comparison(List.of(run(0, 0.25), run(1, 0.75)));
        assertEquals(0.5, attacked.rows().get(0).robustAccuracy().mean(), 1e-12);
        assertTrue(attacked.table().contains("robust accuracy"), attacked.table());
        Comparison clean = new Comparison(List.of(run(0, null)));
        assertEquals(0, clean.rows().get(0).robustAccuracy().n());
        assertFalse(clean.table().contains("robust"), clean.table());
        assertTrue(Double.isNaN(run(0, null).robustAccuracy()));
    }
}
