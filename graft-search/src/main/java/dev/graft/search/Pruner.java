package dev.graft.search;

import java.util.List;

/** Decides whether a running trial should stop early, from the intermediate values reported so far. */
@FunctionalInterface
public interface Pruner {
    /**
     * @param trial the running trial, with its intermediate values
     * @param all every trial of the study
     */
    boolean shouldPrune(Trial trial, List<Trial> all);
}
