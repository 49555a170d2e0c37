package dev.graft.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.GraftInputException;
import dev.graft.experiment.ExperimentLoader;
import dev.graft.experiment.ExperimentRunner;
import dev.graft.experiment.Prepared;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The LogME prior over layer cuts: its scores, its seeded policies, and the search asking them first. */
class CutPriorTest {
    @TempDir
    Path dir;

    private static SearchSettings settings(String prior, int trials) {
        return SearchSettings.of(ExperimentLoader.parse("prior", SearchFixtures.experiment("prior", 5, """
                search: {sampler: random, trials: %d, shots: 5, seed: 3, prior: %s, genes: {epochs: [1],
                  base_lrs: [0.001], lr_multipliers: [0.1, 1.0], fractions: [1.0], l2sp: [0.0]},
                  fitness: {method: holdout}, selection: {hand_strategies: false}}
                """.formatted(trials, prior))), "search");
    }

    private Prepared prepared() {
        Prepared p = ExperimentRunner.prepare(ExperimentLoader.parse("prior", SearchFixtures.experiment("prior", 5, "")),
                SearchFixtures.ROOT.resolve("x.yaml"), ExperimentRunner.Progress.NONE);
        return new Prepared(p.config(), p.file(), p.layout(), p.data(), p.source(), p.sourceLabel(), p.sourceSha256(),
                p.train(), dir.resolve("out"), p.sourceTask());
    }

    @Test
    void theSearchAsksTheBestCutsFirstFineTunedSlowlyWithEverythingAfterThemFromScratch() throws IOException {
        Prepared p = prepared();
        SearchSettings s = settings("logme", 6);
        PolicySpace policies = new PolicySpace(p.layout(), s.choices());
        PolicyObjective objective = new PolicyObjective(p, policies, 5, 3, s.metric());
        CutPrior prior = CutPrior.of(p, policies, objective.estimator().labelled(), 3);
        // the small CNN's groups: features.0, features.4, classifier.1, classifier.4 (the head)
        assertEquals(3, prior.cuts().size());
        for (int i = 1; i < prior.cuts().size(); i++) {
            assertTrue(prior.cuts().get(i - 1).logMe() >= prior.cuts().get(i).logMe(), "best first");
        }
        assertEquals(2, prior.seeds(6));
        List<String> statuses = new ArrayList<>();
        SearchRunner.Listener listener = statusesInto(statuses);
        SearchRunner.Outcome o = SearchRunner.run(p, s, false, SearchRunnerTest::instant, listener);
        assertTrue(statuses.stream().anyMatch(l -> l.startsWith("prior: LogME per cut")), statuses.toString());
        List<String> groups = new ArrayList<>(policies.groups().keySet());
        for (int seeded = 0; seeded < 2; seeded++) {
            int k = prior.cuts().get(seeded).transferred();
            TransferPolicy policy = policies.decode(o.trials().get(seeded).point());
            for (int g = 0; g < groups.size(); g++) {
                TransferPolicy.LayerChoice c = policy.layers().get(groups.get(g));
                assertEquals(g < k ? TransferPolicy.Decision.FINETUNE : TransferPolicy.Decision.SCRATCH, c.decision(),
                        "trial " + seeded + ", group " + groups.get(g));
                assertEquals(g < k ? 0.1 : 1.0, c.lrMultiplier(), 1e-12);
            }
            assertEquals(0.001, policy.baseLr(), 1e-12);
            assertEquals(1, policy.epochs());
        }
        assertEquals(6, SearchRunnerTest.evaluated(o.trials()), "the seeds are part of the budget");
    }

    @Test
    void aSearchWithoutThePriorAsksTheSamplerFromTheFirstTrial() throws IOException {
        SearchSettings s = settings("none", 2);
        List<String> statuses = new ArrayList<>();
        SearchRunner.Listener listener = statusesInto(statuses);
        SearchRunner.run(prepared(), s, false, SearchRunnerTest::instant, listener);
        assertTrue(statuses.stream().noneMatch(l -> l.startsWith("prior:")), statuses.toString());
    }

    /** Before: a selection rule beside several objectives was accepted and never applied. */
    @Test
    void aSelectionBesideSeveralObjectivesIsRefused() {
        GraftInputException e = assertThrows(GraftInputException.class, () -> SearchSettings.of(ExperimentLoader.parse(
                "s", SearchFixtures.experiment("s", 5, """
                search: {sampler: nsga2, objectives: [target, parameters], selection: {rule: one_se}}
                """)), "search"));
        assertTrue(e.getMessage().startsWith("search.selection: with several objectives"), e.getMessage());
    }

    @Test
    void anUnknownPriorIsRefusedNamingTheKey() {
        GraftInputException e = assertThrows(GraftInputException.class, () -> settings("leep", 2));
        assertTrue(e.getMessage().contains("search.prior") && e.getMessage().contains("logme"), e.getMessage());
    }

    /** A listener that keeps the status lines. */
    private static SearchRunner.Listener statusesInto(List<String> statuses) {
        return new SearchRunner.Listener() {
            @Override
            public void trialFinished(Trial t, String summary, double best, int finished, int total, double eta) {
            }

            @Override
            public void status(String line) {
                statuses.add(line);
            }
        };
    }
}
