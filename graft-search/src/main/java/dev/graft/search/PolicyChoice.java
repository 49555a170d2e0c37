package dev.graft.search;

import dev.graft.experiment.ExperimentConfig;
import dev.graft.experiment.ExperimentRunner;
import dev.graft.experiment.LayerDecision;
import dev.graft.experiment.Prepared;
import dev.graft.experiment.RunRecord;
import dev.graft.experiment.Strategies;
import dev.graft.transfer.Transferor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The search's final choice: its distinct evaluated policies and (by default) the built-in hand
 * strategies, all estimated by the same {@link FitnessEstimator}, chosen among by the
 * {@link Selection} rule, then refitted on every labelled image (shots and validation) and
 * measured once on the test set.
 *
 * @param candidates every candidate, the search's policies first, then the hand strategies
 * @param strategies each candidate's strategy, in the same order
 * @param chosen the chosen candidate's index
 * @param rankAmongHand the chosen one's rank by estimate among the hand strategies (1 = best; 0
 *     when there were none)
 * @param handCount hand strategies among the candidates
 * @param handFineTunes the fine-tunes spent estimating the hand strategies
 */
public record PolicyChoice(List<Selection.Candidate> candidates, List<Strategies.Resolved> strategies, int chosen,
        int rankAmongHand, int handCount, int handFineTunes) {

    /** The chosen candidate. */
    public Selection.Candidate candidate() {
        return candidates.get(chosen);
    }

    /** The chosen strategy. */
    public Strategies.Resolved strategy() {
        return strategies.get(chosen);
    }

    /**
     * Chooses among {@code trials} (the complete ones, one per canonical policy) and the hand
     * strategies.
     *
     * @param status hears a line per hand strategy estimated
     * @throws IllegalArgumentException if no candidate has an estimate
     */
    public static PolicyChoice choose(Prepared p, PolicySpace space, PolicyObjective objective, List<Trial> trials,
            Selection selection, long seed, Consumer<String> status) {
        List<Selection.Candidate> candidates = new ArrayList<>();
        List<Strategies.Resolved> strategies = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Trial t : trials) {
            if (t.hasValue() && seen.add(space.canonical(t.point()))) {
                Strategies.Resolved s = objective.strategy(t.point());
                candidates.add(new Selection.Candidate(s.name(), new Estimate(t.value(), t.stderr(), 0),
                        trainable(p, s), false));
                strategies.add(s);
            }
        }
        int hand = 0;
        int handFineTunes = 0;
        if (selection.handStrategies()) {
            for (String name : Strategies.BUILT_IN) {
                if (p.source().names().isEmpty() && !name.equals("scratch")) {
                    continue; // without a source only scratch can run
                }
                // a search ending in a classical head compares hand strategies ending in it too
                Strategies.Resolved s = objective.withHead(Strategies.resolve(ExperimentConfig.StrategySpec.named(name),
                        p.layout(), p.train(), p.dir(), seed, p.file() + ": hand strategy " + name));
                status.accept("estimating the hand strategy " + name + " by " + objective.estimator().fitness().describe());
                FitnessEstimator.Estimated e = objective.estimator().estimate(s,
                        trainSeed -> ExperimentRunner.run(p, s, objective.shots(), trainSeed,
                                ExperimentRunner.Progress.NONE, null, false), ExperimentRunner.Progress.NONE);
                candidates.add(new Selection.Candidate(name, e.estimate(), trainable(p, s), true));
                strategies.add(s);
                hand++;
                handFineTunes += e.estimate().fineTunes();
            }
        }
        int chosen = selection.choose(candidates);
        return new PolicyChoice(candidates, strategies, chosen, hand == 0 ? 0 : Selection.rankAmongHand(candidates,
                chosen), hand, handFineTunes);
    }

    /**
     * The chosen strategy refitted on every labelled image of the split (shots and validation: no
     * image is held back, so nothing stops early) and measured once on the test set.
     */
    public RunRecord refit(Prepared p, PolicyObjective objective, long seed) {
        return ExperimentRunner.runOn(p, strategy(), objective.shots(), seed, objective.estimator().labelled(), null,
                p.data().test(), true, ExperimentRunner.Progress.NONE, null, List.of());
    }

    /** The chosen one in a line: its label, estimate ± standard error, and rank among the hand strategies. */
    public String summary() {
        Selection.Candidate c = candidate();
        return String.format(java.util.Locale.ROOT, "%s: %.3f ± %.3f%s", c.label(), c.estimate().mean(),
                c.estimate().stderr(), handCount == 0 ? "" : ", rank " + rankAmongHand + " of " + (handCount
                        + (c.hand() ? 0 : 1)) + " among the hand strategies");
    }

    /** Trainable parameters of a strategy's plan, what the one-SE rule minimizes; no training. */
    private static double trainable(Prepared p, Strategies.Resolved s) {
        try {
            return LayerDecision.of(p.layout(), Transferor.apply(p.source(), p.layout(),
                    dev.graft.experiment.ExperimentRunner.planFor(p, p.layout(), s.plan()), false), s.train())
                    .stream().mapToLong(LayerDecision::trainableParameters).sum();
        } catch (RuntimeException e) {
            // a plan that cannot apply here fails when it trains; for ranking it is the most complex
            return Double.MAX_VALUE;
        }
    }
}
