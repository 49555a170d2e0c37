package dev.graft.search;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NsgaSamplerTest {
    /** Six genes of five ordinal choices; two objectives that pull apart, as accuracy and parameters do. */
    static final SearchSpace SPACE;
    static final Objectives TWO = Objectives.of(List.of("target", "parameters"), null, "s");

    static {
        List<Dimension> dims = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            dims.add(Dimension.ordinal("g" + i, List.of(0, 1, 2, 3, 4)));
        }
        SPACE = new SearchSpace(dims);
    }

    /** Each gene has its own best choice for the target; every step up costs parameters. */
    static double[] objectives(int[] p) {
        double target = 0;
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            int best = (i * 3 + 1) % 5;
            target += Math.exp(-(p[i] - best) * (p[i] - best)) / p.length;
            sum += p[i];
        }
        return new double[] {target, 1000 * sum};
    }

    static List<Trial> run(Sampler sampler, int budget) {
        try (Study study = new Study(SPACE, sampler)) {
            for (int i = 0; i < budget; i++) {
                Trial t = study.ask();
                double[] v = objectives(t.point());
                study.tell(t, TWO.value(v, 24_000), v, TrialState.COMPLETE, "");
            }
            return study.trials();
        }
    }

    @Test
    void itsFrontHasNoDominatedPolicyAndCoversMoreThanRandomSearch() {
        double nsga = 0;
        double random = 0;
        for (long seed = 0; seed < 10; seed++) {
            List<Trial> a = run(new NsgaSampler(NsgaSampler.Config.defaults(80), TWO, seed), 80);
            List<Trial> front = TWO.front(a);
            for (Trial f : front) {
                for (Trial t : a) {
                    assertFalse(ObjectivesTest.dominates(TWO, t.objectives(), f.objectives()));
                }
            }
            nsga += -hypervolumeOfMinimized(front);
            random += -hypervolumeOfMinimized(TWO.front(run(new RandomSampler(seed), 80)));
        }
        assertTrue(nsga < random, "mean hypervolume shortfall: NSGA-II " + nsga / 10 + ", random " + random / 10);
        System.out.println("NSGA-II against random search, 80 trials, 10 seeds: summed shortfall " + nsga + " vs "
                + random);
    }

    /** The hypervolume of (target up, parameters down) as a negative shortfall from the ideal square. */
    static double hypervolumeOfMinimized(List<Trial> front) {
        // sweep parameters from low to high; each step adds width × best target so far
        List<double[]> pts = new ArrayList<>(front.stream().map(Trial::objectives).toList());
        pts.sort((a, b) -> Double.compare(a[1], b[1]));
        double area = 0;
        double best = 0;
        for (int i = 0; i < pts.size(); i++) {
            best = Math.max(best, pts.get(i)[0]);
            double to = i + 1 < pts.size() ? pts.get(i + 1)[1] : 24_000;
            area += best * (to - pts.get(i)[1]) / 24_000;
        }
        return -(1 - area);
    }
}
