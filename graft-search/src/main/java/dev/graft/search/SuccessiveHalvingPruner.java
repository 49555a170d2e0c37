package dev.graft.search;

import java.util.List;

/**
 * Asynchronous successive halving (ASHA, Li et al. 2020). Rungs sit at steps
 * {@code minResource·η^k − 1} (0-based epochs). When a trial reaches a rung, it continues only if
 * its best value so far is among the top 1/η of the best values every trial had at that rung
 * (itself included); otherwise it is pruned. Trials are never held back waiting for others.
 *
 * <p>The best value so far rather than the rung's own value (as ASHA and Optuna compare): on a
 * validation split of a few images per class the metric jumps several points from one epoch to
 * the next, and the rung's value alone pruned good policies on a bad epoch (BENCHMARKS.md).
 */
public record SuccessiveHalvingPruner(int minResource, int reductionFactor) implements Pruner {

    public SuccessiveHalvingPruner {
        if (minResource < 1 || reductionFactor < 2) {
            throw new IllegalArgumentException("min resource must be >= 1 and the reduction factor >= 2");
        }
    }

    @Override
    public boolean shouldPrune(Trial trial, List<Trial> all) {
        int step = trial.intermediate().size() - 1;
        if (!isRung(step)) {
            return false;
        }
        double mine = trial.bestIntermediateUpTo(step);
        double[] values = all.stream().filter(t -> t.intermediate().size() > step)
                .mapToDouble(t -> t.bestIntermediateUpTo(step)).sorted().toArray();
        int keep = Math.max(1, values.length / reductionFactor);
        double threshold = values[values.length - keep];
        return mine < threshold;
    }

    private boolean isRung(int step) {
        long r = minResource;
        while (r - 1 < step) {
            r *= reductionFactor;
        }
        return r - 1 == step;
    }
}
