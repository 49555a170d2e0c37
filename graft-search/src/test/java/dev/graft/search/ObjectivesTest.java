package dev.graft.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.GraftInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ObjectivesTest {
    static final Objectives FOUR = Objectives.of(List.of("target", "retention", "parameters", "latency"),
            Map.of("retention", 0.5, "latency", 0.1), "search");

    @Test
    void theEnergyIsTheWeightedSumOfCosts() {
        // target 0.8 → cost 0.2 (w 1); retention 0.9 → 0.1 (w 0.5); 250 of 1000 parameters → 0.25 (w 1); 2 ms (w 0.1)
        double expected = -(0.2 + 0.5 * 0.1 + 0.25 + 0.1 * 2);
        assertEquals(expected, FOUR.value(new double[] {0.8, 0.9, 250, 2}, 1000), 1e-12);
        assertEquals(0.8, Objectives.TARGET_ONLY.value(new double[] {0.8}, 1000), "alone, the metric itself");
        assertTrue(FOUR.multiple() && FOUR.needsModel());
        assertEquals(List.of(0.8, 0.9, -250.0, -2.0), java.util.Arrays.stream(FOUR.maximized(
                new double[] {0.8, 0.9, 250, 2})).boxed().toList());
    }

    @Test
    void robustnessCostsItsErrorAndNeedsTheModel() {
        Objectives o = Objectives.of(List.of("target", "robustness"), Map.of("robustness", 2.0), "search");
        // target 0.9 → cost 0.1 (w 1); accuracy 0.6 under attack → cost 0.4 (w 2)
        assertEquals(-(0.1 + 2 * 0.4), o.value(new double[] {0.9, 0.6}, 1000), 1e-12);
        assertTrue(o.needsModel(), "the attack runs through the whole trained model");
        assertEquals(List.of(0.9, 0.6), java.util.Arrays.stream(o.maximized(new double[] {0.9, 0.6})).boxed().toList(),
                "more is better");
        assertTrue(Objectives.of(List.of("robustness"), null, "s").multiple(), "alone, it is not the target metric");
    }

    @Test
    void badConfigurationsNameTheKey() {
        assertTrue(assertThrows(GraftInputException.class, () -> Objectives.of(List.of("target", "speed"), null, "s"))
                .getMessage().startsWith("s.objectives: unknown objective 'speed'"));
        assertTrue(assertThrows(GraftInputException.class, () -> Objectives.of(List.of("target", "target"), null,
                "s")).getMessage().contains("listed twice"));
        assertTrue(assertThrows(GraftInputException.class, () -> Objectives.of(List.of("target"),
                Map.of("latency", 1.0), "s")).getMessage().contains("not one of the objectives"));
        assertTrue(assertThrows(GraftInputException.class, () -> Objectives.of(List.of("target"),
                Map.of("target", -1.0), "s")).getMessage().startsWith("s.weights.target"));
    }

    /** u dominates v: at least as good everywhere (after turning), better somewhere. Written independently. */
    static boolean dominates(Objectives o, double[] u, double[] v) {
        boolean better = false;
        for (int i = 0; i < u.length; i++) {
            double a = o.list().get(i).maximized() ? u[i] : -u[i];
            double b = o.list().get(i).maximized() ? v[i] : -v[i];
            if (a < b) {
                return false;
            }
            better |= a > b;
        }
        return better;
    }

    @Test
    void theFrontHoldsExactlyTheUndominatedPolicies() {
        Objectives o = Objectives.of(List.of("target", "parameters", "retention"), null, "s");
        SplittableRandom rnd = new SplittableRandom(7);
        for (int round = 0; round < 200; round++) {
            List<Trial> trials = new ArrayList<>();
            int n = 2 + rnd.nextInt(30);
            for (int i = 0; i < n; i++) {
                // coarse values, so that ties and duplicates occur
                double[] v = {rnd.nextInt(5) / 4.0, rnd.nextInt(4) * 1000, rnd.nextInt(5) / 4.0};
                TrialState state = rnd.nextInt(10) == 0 ? TrialState.FAILED : TrialState.COMPLETE;
                trials.add(new Trial(i, new int[] {i}, state, state == TrialState.FAILED ? Double.NaN : 0, List.of(), "",
                        state == TrialState.FAILED ? new double[0] : v));
            }
            List<Trial> front = o.front(trials);
            for (Trial f : front) {
                for (Trial t : trials) {
                    if (t.hasValue()) {
                        assertFalse(dominates(o, t.objectives(), f.objectives()),
                                "trial " + t.number() + " dominates front member " + f.number());
                    }
                }
            }
            for (Trial t : trials) {
                if (t.hasValue() && !front.contains(t)) {
                    assertTrue(front.stream().anyMatch(f -> dominates(o, f.objectives(), t.objectives())
                            || java.util.Arrays.equals(f.objectives(), t.objectives())),
                            "trial " + t.number() + " left out although nothing on the front beats it");
                }
            }
        }
    }
}
