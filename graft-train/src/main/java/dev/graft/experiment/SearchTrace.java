package dev.graft.experiment;

import java.util.List;

/**
 * How a policy search went, trial by trial: what the report's search-trace chart draws.
 *
 * @param sampler the sampler's name
 * @param metric the validation metric maximized
 * @param trials every finished trial, in the order it finished
 * @param generations for the genetic algorithm, each finished generation; empty otherwise
 */
public record SearchTrace(String sampler, String metric, List<Point> trials, List<Generation> generations) {

    public SearchTrace {
        trials = List.copyOf(trials);
        generations = List.copyOf(generations);
    }

    /**
     * One finished trial.
     *
     * @param trial its number in the study
     * @param state {@code complete}, {@code pruned} or {@code failed}
     * @param value its validation value (NaN when failed)
     * @param best the best value so far, this trial included
     * @param temperature for annealing, the temperature when the trial was proposed (NaN otherwise)
     * @param policy the policy in one line
     */
    public record Point(int trial, String state, double value, double best, double temperature, String policy) {}

    /**
     * One generation of the genetic algorithm.
     *
     * @param generation from 1
     * @param best the best fitness in the population
     * @param mean the population's mean fitness
     * @param mutationRate the mutation probability used for this generation
     */
    public record Generation(long generation, double best, double mean, double mutationRate) {}
}
