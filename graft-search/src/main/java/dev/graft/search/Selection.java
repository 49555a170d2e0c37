package dev.graft.search;

import dev.graft.GraftInputException;
import dev.graft.experiment.ExperimentConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Chooses the final policy from noisy estimates. The best of many noisy estimates is biased
 * upward (the winner's curse): the argmax favours the candidates whose noise happened to be
 * positive, and most of all the noisiest. The rules here account for each estimate's standard error.
 *
 * @param rule the rule
 * @param handStrategies whether the built-in strategies are candidates too
 */
public record Selection(Rule rule, boolean handStrategies) {

    /** The rules. */
    public enum Rule {
        /**
         * Empirical-Bayes shrinkage: each estimate x with error s moves toward the mean m of all by
         * s²/(s² + τ²), τ² the spread of the true values (the estimates' variance less their mean
         * squared error, by the method of moments); the highest shrunk value wins. A noisy estimate
         * must be far above the others to win; with equal errors the order is the argmax's.
         */
        SHRINKAGE,
        /** Among the candidates within one standard error of the best estimate, the simplest (fewest trainable parameters). */
        ONE_SE,
        /** The highest estimate, as searches have always chosen. */
        ARGMAX
    }

    /**
     * A candidate.
     *
     * @param label its name (a hand strategy's, or the policy in one line)
     * @param estimate its estimate
     * @param complexity what {@code one_se} minimizes: trainable parameters
     * @param hand whether it is a built-in strategy
     */
    public record Candidate(String label, Estimate estimate, double complexity, boolean hand) {}

    /**
     * Resolves a {@code selection} section (default: shrinkage, with the hand strategies).
     *
     * @throws GraftInputException for an unknown rule (the message names the key)
     */
    public static Selection of(ExperimentConfig.SelectionSection s, String where) {
        String rule = s == null || s.rule() == null ? "shrinkage" : s.rule().toLowerCase(Locale.ROOT);
        Rule r;
        try {
            r = Rule.valueOf(rule.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new GraftInputException(where + ".selection.rule: unknown rule '" + rule
                    + "' (shrinkage, one_se, argmax)");
        }
        return new Selection(r, s == null || s.handStrategies() == null || s.handStrategies());
    }

    /**
     * The index of the chosen candidate among those with an estimate.
     *
     * @throws IllegalArgumentException if no candidate has a (non-NaN) estimate
     */
    public int choose(List<Candidate> candidates) {
        List<Integer> ok = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            if (!Double.isNaN(candidates.get(i).estimate().mean())) {
                ok.add(i);
            }
        }
        if (ok.isEmpty()) {
            throw new IllegalArgumentException("no candidate has an estimate");
        }
        Comparator<Integer> byMean = Comparator.comparingDouble(i -> candidates.get(i).estimate().mean());
        int best = ok.stream().max(byMean).orElseThrow();
        return switch (rule) {
            case ARGMAX -> best;
            case ONE_SE -> {
                Estimate b = candidates.get(best).estimate();
                double floor = b.mean() - (Double.isNaN(b.stderr()) ? 0 : b.stderr());
                yield ok.stream().filter(i -> candidates.get(i).estimate().mean() >= floor)
                        .min(Comparator.<Integer>comparingDouble(i -> candidates.get(i).complexity())
                                .thenComparing(byMean.reversed())).orElse(best);
            }
            case SHRINKAGE -> {
                double[] shrunk = shrunk(ok.stream().map(i -> candidates.get(i).estimate()).toList());
                int at = 0;
                for (int j = 1; j < shrunk.length; j++) {
                    // ties (all shrunk to the mean when τ² = 0) go to the higher raw estimate
                    if (shrunk[j] > shrunk[at] || shrunk[j] == shrunk[at]
                            && candidates.get(ok.get(j)).estimate().mean() > candidates.get(ok.get(at)).estimate().mean()) {
                        at = j;
                    }
                }
                yield ok.get(at);
            }
        };
    }

    /**
     * The shrunk estimates, in order: m + τ²/(τ² + s²)·(x − m). An unknown error counts as the
     * largest known one. With one estimate it is returned unchanged.
     */
    public static double[] shrunk(List<Estimate> estimates) {
        int n = estimates.size();
        double[] x = estimates.stream().mapToDouble(Estimate::mean).toArray();
        if (n < 2) {
            return x;
        }
        double maxSe = estimates.stream().mapToDouble(Estimate::stderr).filter(v -> !Double.isNaN(v)).max().orElse(0);
        double[] se2 = estimates.stream().mapToDouble(e -> Double.isNaN(e.stderr()) ? maxSe : e.stderr())
                .map(s -> s * s).toArray();
        double m = Estimate.mean(x);
        double tau2 = Math.max(0, Estimate.variance(x, m) - Estimate.mean(se2));
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double w = tau2 + se2[i] == 0 ? 1 : tau2 / (tau2 + se2[i]);
            out[i] = m + w * (x[i] - m);
        }
        return out;
    }

    /**
     * The chosen candidate's rank (1 = best) among the hand strategies by estimate: one plus the
     * number of hand strategies estimated higher. A hand strategy is not counted against itself.
     */
    public static int rankAmongHand(List<Candidate> candidates, int chosen) {
        double v = candidates.get(chosen).estimate().mean();
        int rank = 1;
        for (int i = 0; i < candidates.size(); i++) {
            if (i != chosen && candidates.get(i).hand() && candidates.get(i).estimate().mean() > v) {
                rank++;
            }
        }
        return rank;
    }
}
