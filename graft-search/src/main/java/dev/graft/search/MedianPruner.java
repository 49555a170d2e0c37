package dev.graft.search;

import java.util.List;

/**
 * Median stopping (Golovin et al. 2017): at step s a trial stops when its best intermediate
 * value so far is below the median of the other trials' best values up to step s. Nothing is
 * pruned before {@code startupTrials} trials have finished or before step {@code warmupSteps}.
 */
public record MedianPruner(int startupTrials, int warmupSteps) implements Pruner {

    @Override
    public boolean shouldPrune(Trial trial, List<Trial> all) {
        int step = trial.intermediate().size() - 1;
        if (step < warmupSteps) {
            return false;
        }
        List<Trial> peers = all.stream().filter(t -> t.number() != trial.number() && t.state().finished()
                && t.intermediate().size() > step).toList();
        if (peers.size() < startupTrials) {
            return false;
        }
        double[] bests = peers.stream().mapToDouble(t -> t.bestIntermediateUpTo(step)).sorted().toArray();
        double median = bests.length % 2 == 1 ? bests[bests.length / 2]
                : (bests[bests.length / 2 - 1] + bests[bests.length / 2]) / 2;
        return trial.bestIntermediateUpTo(step) < median;
    }
}
