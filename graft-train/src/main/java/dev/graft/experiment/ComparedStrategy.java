package dev.graft.experiment;

/**
 * Something {@code graft compare} runs per shot count and seed: a built-in or custom strategy, or
 * a policy search (in graft-search). Implementations must not touch the test set except to
 * measure their final model.
 */
public interface ComparedStrategy {
    /** The name in tables. */
    String name();

    /** One run: train on {@code shots} per class drawn with {@code seed}, and measure on the test set. */
    RunRecord run(Prepared experiment, int shots, long seed, ExperimentRunner.Progress progress);

    /**
     * Refuses, before any strategy of a comparison trains, what can be known wrong without
     * training (a transfer with no source), so a bad strategy never costs the others' runs.
     *
     * @throws dev.graft.GraftInputException naming the experiment and the strategy
     */
    default void preflight(Prepared experiment) {
    }
}
