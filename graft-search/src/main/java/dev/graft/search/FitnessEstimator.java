package dev.graft.search;

import dev.graft.data.Examples;
import dev.graft.experiment.ExperimentRunner;
import dev.graft.experiment.Prepared;
import dev.graft.experiment.RunRecord;
import dev.graft.experiment.Strategies;
import dev.graft.metrics.ClassificationMetrics;
import dev.graft.metrics.MetricName;
import dev.graft.train.TrainResult;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Estimates a strategy's value on the labelled images of one shot count and seed, by the
 * configured {@link Fitness}. The test set is never touched. Thread-safe (it holds no state
 * between calls).
 */
public final class FitnessEstimator {
    private final Prepared experiment;
    private final Fitness fitness;
    private final int shots;
    private final long seed;
    private final MetricName metric;

    /**
     * @param shots shots per class of the split (0: the whole pool)
     * @param seed the split's seed; fits draw their own seeds from it
     */
    public FitnessEstimator(Prepared experiment, Fitness fitness, int shots, long seed, MetricName metric) {
        this.experiment = experiment;
        this.fitness = fitness;
        this.shots = shots;
        this.seed = seed;
        this.metric = metric;
    }

    /** The estimator's settings. */
    public Fitness fitness() {
        return fitness;
    }

    /**
     * A strategy's estimate and its last fit (the holdout's run for holdout, whose history the
     * pruner and trace read; the last fold's otherwise).
     */
    public record Estimated(Estimate estimate, RunRecord run) {}

    /**
     * Estimates {@code strategy}.
     *
     * @param holdout the holdout fit of the strategy at a training seed (the search passes its
     *     prefix-cached run, which may also be pruned through {@code progress})
     */
    public Estimated estimate(Strategies.Resolved strategy, Function<Long, RunRecord> holdout,
            ExperimentRunner.Progress progress) {
        ExperimentRunner.Splits splits = ExperimentRunner.splits(experiment, shots, seed);
        int validation = splits.validation() == null ? 0 : splits.validation().size();
        return switch (fitness.method()) {
            case HOLDOUT -> {
                RunRecord r = holdout.apply(seed);
                double v = PolicyObjective.fitness(r, metric);
                yield new Estimated(new Estimate(v, Estimate.binomial(v, validation), 1), r);
            }
            case REPEATED -> {
                double[] values = new double[fitness.repeats()];
                RunRecord r = null;
                for (int i = 0; i < values.length; i++) {
                    // the split stays; only the training seed (initialization, batch order) changes
                    long trainSeed = seed + 7_919L * i;
                    r = i == 0 ? holdout.apply(seed) : ExperimentRunner.runOn(experiment, strategy, shots, trainSeed,
                            splits.train(), splits.validation(), null, false, progress, null, List.of());
                    values[i] = PolicyObjective.fitness(r, metric);
                    if (Double.isNaN(values[i]) || r.status() == TrainResult.Status.PRUNED) {
                        yield new Estimated(new Estimate(values[i], Double.NaN, i + 1), r);
                    }
                }
                yield new Estimated(Estimate.ofSeeds(values, validation), r);
            }
            case KFOLD -> kfold(strategy, splits, progress);
        };
    }

    private Estimated kfold(Strategies.Resolved strategy, ExperimentRunner.Splits splits,
            ExperimentRunner.Progress progress) {
        Examples labelled = labelled(splits);
        int k = fitness.folds();
        double[] values = new double[k * fitness.repeats()];
        RunRecord last = null;
        int trained = 0;
        int heldOut = 0;
        for (int rep = 0; rep < fitness.repeats(); rep++) {
            // every strategy of a search sees the same folds, so their differences are paired
            List<int[]> folds = labelled.stratifiedFolds(k, seed + 1_000_033L * (rep + 1));
            for (int f = 0; f < k; f++) {
                List<Integer> idx = new ArrayList<>();
                for (int g = 0; g < k; g++) {
                    if (g != f) {
                        for (int i : folds.get(g)) {
                            idx.add(i);
                        }
                    }
                }
                Examples train = labelled.subset(idx.stream().mapToInt(Integer::intValue).toArray());
                Examples held = labelled.subset(folds.get(f));
                trained = train.size();
                heldOut = held.size();
                // no validation set: the held-out fold is the measurement, so nothing stops early on it
                last = ExperimentRunner.runOn(experiment, strategy, shots, seed + 31L * (rep * k + f), train, null,
                        held, false, progress, null, List.of());
                values[rep * k + f] = last.status() == TrainResult.Status.DIVERGED || last.test() == null
                        ? Double.NaN : value(last.test());
                if (Double.isNaN(values[rep * k + f])) {
                    return new Estimated(new Estimate(Double.NaN, Double.NaN, rep * k + f + 1), last);
                }
            }
        }
        return new Estimated(Estimate.ofFolds(values, trained, heldOut, labelled.size()), last);
    }

    /**
     * Refuses a k-fold estimate with more folds than some class has labelled images: a fold
     * without any image of a class, or with no image at all, would be averaged in as a wrong value.
     *
     * @throws dev.graft.GraftInputException naming the key, the class and its count
     */
    public void requireFoldsFit() {
        if (fitness.method() != Fitness.Method.KFOLD) {
            return;
        }
        Examples labelled = labelled();
        int[] counts = labelled.classCounts();
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] < fitness.folds()) {
                throw new dev.graft.GraftInputException(experiment.file() + ": search.fitness.folds: "
                        + fitness.folds() + " folds need at least " + fitness.folds() + " labelled images (shots and "
                        + "validation) of every class; class " + className(c) + " has " + counts[c] + " at " + shots
                        + " shots");
            }
        }
    }

    /**
     * Every labelled image of the split: the shots and the validation images. The refit before the
     * test measurement trains on these too.
     */
    public Examples labelled() {
        return labelled(ExperimentRunner.splits(experiment, shots, seed));
    }

    private String className(int c) {
        List<String> names = experiment.data().classNames();
        return names != null && c < names.size() && !names.get(c).equals(String.valueOf(c))
                ? "'" + names.get(c) + "'" : String.valueOf(c);
    }

    private static Examples labelled(ExperimentRunner.Splits s) {
        return s.validation() == null ? s.train() : s.train().concat(s.validation());
    }

    private double value(ClassificationMetrics m) {
        return metric.oriented(m.get(metric));
    }
}
