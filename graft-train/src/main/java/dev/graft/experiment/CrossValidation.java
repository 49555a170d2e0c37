package dev.graft.experiment;

import dev.graft.data.Examples;
import dev.graft.metrics.ClassificationMetrics;
import dev.graft.metrics.Summary;
import dev.graft.train.TrainResult;
import java.util.ArrayList;
import java.util.List;

/** Stratified k-fold cross-validation of one strategy on the training pool. */
public final class CrossValidation {
    private CrossValidation() {}

    /**
     * The result.
     *
     * @param folds metrics on each held-out fold (null where training diverged)
     * @param accuracy accuracy over the folds that finished
     * @param macroF1 macro-F1 over the folds that finished
     */
    public record Result(List<ClassificationMetrics> folds, Summary accuracy, Summary macroF1) {}

    /**
     * Trains on k − 1 folds and measures on the one left out, for each fold in turn, as
     * {@link ExperimentRunner#runOn} trains the strategy (a classical head included). Early
     * stopping is not used (the held-out fold is the measurement, not a validation set).
     */
    public static Result run(Prepared p, Strategies.Resolved strategy, int k, long seed,
            ExperimentRunner.Progress progress) {
        ExperimentRunner.requireSource(p, strategy, p.layout());
        Examples pool = p.data().pool();
        int[] counts = pool.classCounts();
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] < k) {
                // a fold without a class would measure nothing of it, and an empty fold scores 0
                throw new dev.graft.GraftInputException("--folds: " + k + " folds need at least " + k
                        + " training samples of every class; '" + p.data().classNames().get(c) + "' has " + counts[c]
                        + " (" + p.file() + ")");
            }
        }
        List<int[]> folds = pool.stratifiedFolds(k, seed);
        List<ClassificationMetrics> out = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            List<Integer> trainIdx = new ArrayList<>();
            for (int g = 0; g < k; g++) {
                if (g != f) {
                    for (int i : folds.get(g)) {
                        trainIdx.add(i);
                    }
                }
            }
            Examples train = pool.subset(trainIdx.stream().mapToInt(Integer::intValue).toArray());
            Examples held = pool.subset(folds.get(f));
            progress.status("fold " + (f + 1) + "/" + k + ": training on " + train.size() + ", measuring on "
                    + held.size());
            // trained as the strategy trains anywhere (a classical head fitted, source protection
            // applied), measured on the held-out fold
            RunRecord r = ExperimentRunner.runOn(p, strategy, 0, seed + f, train, null, held, false, progress, null,
                    List.of());
            out.add(r.status() == TrainResult.Status.DIVERGED ? null : r.test());
        }
        List<ClassificationMetrics> ok = out.stream().filter(java.util.Objects::nonNull).toList();
        return new Result(out, Summary.of(ok.stream().mapToDouble(ClassificationMetrics::accuracy).toArray()),
                Summary.of(ok.stream().mapToDouble(ClassificationMetrics::macroF1).toArray()));
    }
}
