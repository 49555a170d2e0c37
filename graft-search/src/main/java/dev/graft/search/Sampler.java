package dev.graft.search;

import java.util.List;

/**
 * Proposes points to evaluate. Implementations may keep state between calls (a current point,
 * a population) and learn from finished trials through {@link #observe}. A sampler serves one
 * study; calls come from the study under its lock, so implementations need not be thread-safe.
 */
public interface Sampler {

    /**
     * The next point to evaluate.
     *
     * @param space the search space
     * @param history every trial so far, in order (finished ones are final)
     */
    int[] sample(SearchSpace space, List<Trial> history);

    /**
     * Whether every point it can propose has been proposed, so a search that only wants new
     * points should stop (a grid at its end). Most samplers never are.
     */
    default boolean exhausted(SearchSpace space) {
        return false;
    }

    /** Learns from a trial that just finished. */
    default void observe(SearchSpace space, Trial finished) {
    }

    /** Releases threads or other resources; the sampler is not used afterwards. */
    default void close() {
    }
}
