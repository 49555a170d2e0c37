package dev.graft.search;

import java.util.List;

/**
 * Asynchronous successive halving (ASHA, Li et al. 2020). Rungs sit at steps
 * {@code minResource·η^k − 1} (0-based epochs). When a trial reaches a rung, it continues only if
 * its value there is among the top 1/η of the values every trial has recorded at that rung so
 * far (itself included); otherwise it is pruned. Trials are never held back waiting for others.
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
        double mine = trial.intermediate().get(step);
        double[] values = all.stream().filter(t -> t.intermediate().size() > step)
                .mapToDouble(t -> t.intermediate().get(step)).sorted().toArray();
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
