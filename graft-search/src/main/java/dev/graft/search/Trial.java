package dev.graft.search;

import java.util.List;

/**
 * One evaluation of a point. Immutable: telling a result makes a new, finished trial.
 *
 * @param number the trial's number in its study, from 0
 * @param point one choice index per dimension
 * @param state running, complete, pruned or failed
 * @param value the objective (higher is better); NaN unless complete or pruned
 * @param intermediate values reported per epoch while running
 * @param message why it failed, or empty
 * @param objectives for a search with several objectives, each objective's value in the search's
 *     order (empty otherwise)
 * @param stderr the standard error of {@code value}, as the fitness estimator gave it (NaN when unknown)
 */
public record Trial(int number, int[] point, TrialState state, double value, List<Double> intermediate,
        String message, double[] objectives, double stderr) {

    public Trial {
        point = point.clone();
        intermediate = List.copyOf(intermediate);
        objectives = objectives.clone();
    }

    /** A trial without a standard error. */
    public Trial(int number, int[] point, TrialState state, double value, List<Double> intermediate, String message,
            double[] objectives) {
        this(number, point, state, value, intermediate, message, objectives, Double.NaN);
    }

    /** A trial of a single-objective search. */
    public Trial(int number, int[] point, TrialState state, double value, List<Double> intermediate, String message) {
        this(number, point, state, value, intermediate, message, new double[0]);
    }

    @Override
    public int[] point() {
        return point.clone();
    }

    @Override
    public double[] objectives() {
        return objectives.clone();
    }

    /** The canonical key of its point. */
    public String key() {
        return SearchSpace.key(point);
    }

    /** A new running trial. */
    static Trial running(int number, int[] point) {
        return new Trial(number, point, TrialState.RUNNING, Double.NaN, List.of(), "");
    }

    /** Whether it finished with a usable value. */
    public boolean hasValue() {
        return state == TrialState.COMPLETE && !Double.isNaN(value);
    }

    /** The best intermediate value at epochs 0..step, which pruners compare (one epoch's is noisy). */
    public double bestIntermediateUpTo(int step) {
        double best = Double.NEGATIVE_INFINITY;
        for (int i = 0; i <= step && i < intermediate.size(); i++) {
            best = Math.max(best, intermediate.get(i));
        }
        return best;
    }
}
