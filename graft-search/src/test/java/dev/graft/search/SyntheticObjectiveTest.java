package dev.graft.search;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

/**
 * On a cheap synthetic objective with the shape of a transfer-policy search (12 genes, decisions
 * and ordinal multipliers, an interaction between neighbouring layers), GA, SA and TPE each beat
 * random search on the median best value over 20 seeds at the same budget.
 */
class SyntheticObjectiveTest {
    static final int BUDGET = 60;
    static final SearchSpace SPACE;

    static {
        List<Dimension> dims = new ArrayList<>();
        for (int layer = 0; layer < 4; layer++) {
            dims.add(Dimension.categorical("l" + layer + ".decision", List.of("scratch", "frozen", "finetune")));
            dims.add(Dimension.ordinal("l" + layer + ".lr", List.of(0.01, 0.03, 0.1, 0.3, 1.0)));
            dims.add(Dimension.ordinal("l" + layer + ".fraction", List.of(0.25, 0.5, 0.75, 1.0)));
        }
        SPACE = new SearchSpace(dims);
    }

    /** Best: early layers frozen, late ones fine-tuned at a middle rate, most units kept. */
    static double objective(int[] p) {
        double v = 0;
        for (int layer = 0; layer < 4; layer++) {
            int decision = p[layer * 3];
            int lr = p[layer * 3 + 1];
            int fraction = p[layer * 3 + 2];
            int wanted = layer < 2 ? 1 : 2;
            v += decision == wanted ? 2 : decision == 0 ? -1 : 0;
            v -= 0.4 * Math.abs(lr - (layer < 2 ? 1 : 3));
            v += 0.3 * fraction;
            if (layer > 0 && p[(layer - 1) * 3] == 2 && decision == 1) {
                v -= 1.5; // freezing a layer above a fine-tuned one hurts
            }
        }
        return v;
    }

    static double medianBest(LongFunction<Sampler> make) {
        double[] best = new double[20];
        for (int seed = 0; seed < 20; seed++) {
            try (Study study = new Study(SPACE, make.apply(seed))) {
                study.optimize(BUDGET, SyntheticObjectiveTest::objective);
                best[seed] = study.best().orElseThrow().value();
            }
        }
        Arrays.sort(best);
        return (best[9] + best[10]) / 2;
    }

    @Test
    void geneticAnnealingTpeAndReinforceBeatRandomSearch() {
        double random = medianBest(RandomSampler::new);
        double genetic = medianBest(seed -> new GeneticSampler(GeneticSampler.Config.defaults(BUDGET), seed));
        double annealing = medianBest(seed -> new AnnealingSampler(AnnealingSampler.Config.defaults(BUDGET), seed));
        double tpe = medianBest(TpeSampler::defaults);
        double reinforce = medianBest(seed -> new ReinforceSampler(ReinforceSampler.Config.defaults(), seed));
        String summary = "random " + random + ", genetic " + genetic + ", annealing " + annealing + ", tpe " + tpe
                + ", reinforce " + reinforce;
        assertTrue(genetic > random, summary);
        assertTrue(annealing > random, summary);
        assertTrue(tpe > random, summary);
        assertTrue(reinforce > random, summary);
        System.out.println("median best over 20 seeds, budget " + BUDGET + ": " + summary);
    }
}
