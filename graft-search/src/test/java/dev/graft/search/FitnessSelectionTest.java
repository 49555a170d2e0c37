package dev.graft.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.GraftInputException;
import dev.graft.experiment.ExperimentConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fitness estimate's standard errors and the noise-aware selection, on synthetic objectives. */
class FitnessSelectionTest {
    @TempDir
    Path dir;

    @Test
    void standardErrorsMatchTheirFormulas() {
        // √(0.8 · 0.2 / 50)
        assertEquals(0.056569, Estimate.binomial(0.8, 50), 1e-6);
        // Nadeau–Bengio: s² = 0.005, √((1/5 + 20/80) · 0.005) = 0.047434, above the floor √(0.16/100) = 0.04
        Estimate k = Estimate.ofFolds(new double[] {0.8, 0.7, 0.9, 0.8, 0.8}, 80, 20, 100);
        assertEquals(0.8, k.mean(), 1e-12);
        assertEquals(0.047434, k.stderr(), 1e-6);
        assertEquals(5, k.fineTunes());
        // identical folds are not exact: the binomial floor √(0.8 · 0.2 / 100) = 0.04
        assertEquals(0.04, Estimate.ofFolds(new double[] {0.8, 0.8, 0.8, 0.8, 0.8}, 80, 20, 100).stderr(), 1e-9);
        // seeds: s² / 3 = 0.01 / 3 plus the validation images' 0.16 / 50: √0.0065333 = 0.080829
        assertEquals(0.080829, Estimate.ofSeeds(new double[] {0.7, 0.8, 0.9}, 50).stderr(), 1e-6);
        assertTrue(Double.isNaN(Estimate.ofFolds(new double[] {0.8, Double.NaN}, 10, 10, 20).mean()),
                "a diverged fold fails the estimate");
    }

    @Test
    void theStandardErrorCoversTheTrueValueOfASyntheticObjective() {
        // a policy whose true value is 0.75, each fit's value off by N(0, 0.05); 5 fits per estimate
        Random rng = new Random(7);
        int covered = 0;
        int draws = 4000;
        for (int d = 0; d < draws; d++) {
            double[] v = new double[5];
            for (int i = 0; i < v.length; i++) {
                v[i] = 0.75 + 0.05 * rng.nextGaussian();
            }
            Estimate e = Estimate.ofSeeds(v, 1_000_000_000);
            covered += Math.abs(e.mean() - 0.75) <= 2 * e.stderr() ? 1 : 0;
        }
        // Student's t with 4 degrees of freedom puts 88% within ±2 standard errors
        assertEquals(0.88, covered / (double) draws, 0.02);
    }

    @Test
    void shrinkagePullsNoisyEstimatesMostHandCheckable() {
        // m = 0.72667, τ² = var(x) − mean(s²) = 0.012133 − 0.0034 = 0.008733
        List<Estimate> e = List.of(new Estimate(0.80, 0.10, 1), new Estimate(0.78, 0.01, 25),
                new Estimate(0.60, 0.01, 25));
        double[] s = Selection.shrunk(e);
        assertEquals(0.760854, s[0], 1e-6);
        assertEquals(0.779396, s[1], 1e-6);
        assertEquals(0.601434, s[2], 1e-6);
        List<Selection.Candidate> c = List.of(new Selection.Candidate("noisy", e.get(0), 5, false),
                new Selection.Candidate("sure", e.get(1), 10, true), new Selection.Candidate("low", e.get(2), 1, true));
        assertEquals(0, new Selection(Selection.Rule.ARGMAX, true).choose(c));
        assertEquals(1, new Selection(Selection.Rule.SHRINKAGE, true).choose(c));
        assertEquals(1, Selection.rankAmongHand(c, 0), "noisy beats both hand strategies by estimate");
        assertEquals(1, Selection.rankAmongHand(c, 1));
        assertEquals(2, Selection.rankAmongHand(c, 2));
    }

    @Test
    void oneStandardErrorPicksTheSimplestWithinReach() {
        List<Selection.Candidate> c = List.of(
                new Selection.Candidate("big", new Estimate(0.80, 0.03, 5), 1000, false),
                new Selection.Candidate("mid", new Estimate(0.78, 0.02, 5), 10, false),
                new Selection.Candidate("tiny", new Estimate(0.76, 0.02, 5), 1, true),
                new Selection.Candidate("failed", new Estimate(Double.NaN, Double.NaN, 1), 0, false));
        // within 0.80 − 0.03 = 0.77: big and mid; mid trains fewer parameters
        assertEquals(1, new Selection(Selection.Rule.ONE_SE, true).choose(c));
        assertEquals(0, new Selection(Selection.Rule.ARGMAX, true).choose(c), "NaN is never chosen");
    }

    /**
     * The winner's curse on a synthetic objective with known noise: 24 policies whose true values
     * spread by 0.03, half estimated precisely (error 0.01) and half noisily (0.05), as when a
     * search mixes estimators or repeats. Over many draws (fixed seed), shrinkage's choice is
     * truly closer to the best policy than the argmax's; with equal errors it is the argmax.
     */
    @Test
    void shrinkageLosesLessToTheTrueBestThanArgmax() {
        Random rng = new Random(20);
        int draws = 3000;
        double argmaxRegret = 0;
        double shrinkRegret = 0;
        int sameWithEqualErrors = 0;
        for (int d = 0; d < draws; d++) {
            List<Selection.Candidate> mixed = new ArrayList<>();
            List<Selection.Candidate> equal = new ArrayList<>();
            double[] truth = new double[24];
            double best = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < truth.length; i++) {
                truth[i] = 0.75 + 0.03 * rng.nextGaussian();
                best = Math.max(best, truth[i]);
                double se = i % 2 == 0 ? 0.01 : 0.05;
                mixed.add(new Selection.Candidate("p" + i, new Estimate(truth[i] + se * rng.nextGaussian(), se, 1),
                        i, false));
                equal.add(new Selection.Candidate("p" + i, new Estimate(truth[i] + 0.03 * rng.nextGaussian(), 0.03, 1),
                        i, false));
            }
            argmaxRegret += best - truth[new Selection(Selection.Rule.ARGMAX, false).choose(mixed)];
            shrinkRegret += best - truth[new Selection(Selection.Rule.SHRINKAGE, false).choose(mixed)];
            sameWithEqualErrors += new Selection(Selection.Rule.ARGMAX, false).choose(equal)
                    == new Selection(Selection.Rule.SHRINKAGE, false).choose(equal) ? 1 : 0;
        }
        argmaxRegret /= draws;
        shrinkRegret /= draws;
        assertTrue(shrinkRegret < 0.8 * argmaxRegret, "mean true shortfall from the best: shrinkage "
                + shrinkRegret + ", argmax " + argmaxRegret);
        assertEquals(draws, sameWithEqualErrors);
    }

    @Test
    void settingsDefaultAndRefuseWithTheirKey() {
        assertEquals(new Fitness(Fitness.Method.KFOLD, 2, 1), Fitness.of(null, false, false, "search"));
        assertEquals(Fitness.Method.HOLDOUT, Fitness.of(null, true, false, "search").method(),
                "a pruner needs per-epoch validation values");
        assertEquals(new Fitness(Fitness.Method.REPEATED, 2, 3),
                Fitness.of(new ExperimentConfig.FitnessSection("repeated", null, null), false, false, "search"));
        GraftInputException e = assertThrows(GraftInputException.class,
                () -> Fitness.of(new ExperimentConfig.FitnessSection("kfold", null, null), true, false, "search"));
        assertTrue(e.getMessage().startsWith("search.fitness.method:"), e.getMessage());
        assertThrows(GraftInputException.class,
                () -> Fitness.of(new ExperimentConfig.FitnessSection("kfold", 1, null), false, false, "search"));
        // a count the method does not use was ignored without a word
        assertTrue(assertThrows(GraftInputException.class, () -> Fitness.of(
                new ExperimentConfig.FitnessSection("holdout", 3, null), false, false, "search")).getMessage()
                .startsWith("search.fitness.folds: only kfold has folds"));
        assertTrue(assertThrows(GraftInputException.class, () -> Fitness.of(
                new ExperimentConfig.FitnessSection("holdout", null, 2), false, false, "search")).getMessage()
                .startsWith("search.fitness.repeats: holdout has no repeats"));
        assertTrue(assertThrows(GraftInputException.class, () -> Selection.of(
                new ExperimentConfig.SelectionSection("best", null), "search")).getMessage()
                .startsWith("search.selection.rule:"));
        assertEquals(new Selection(Selection.Rule.SHRINKAGE, true), Selection.of(null, "search"));
    }

    @Test
    void theJournalKeepsEachTrialsStandardError() throws IOException {
        Path file = dir.resolve("search.jsonl");
        try (Study study = new Study(SamplerContractTest.SPACE, new RandomSampler(1));
                TrialJournal j = TrialJournal.open(file, SamplerContractTest.SPACE)) {
            study.addListener(j);
            Trial t = study.ask();
            assertEquals(0.04, study.tell(t, 0.8, 0.04, new double[0], TrialState.COMPLETE, "").stderr());
            study.tell(study.ask(), 0.7);
        }
        TrialJournal.Replay r = TrialJournal.read(file);
        assertEquals(0.04, r.finished().get(0).stderr());
        assertTrue(Double.isNaN(r.finished().get(1).stderr()));
    }
}
