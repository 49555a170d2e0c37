package dev.graft.experiment;

import ai.djl.ndarray.NDManager;
import dev.graft.data.Examples;
import dev.graft.engine.Engines;
import dev.graft.metrics.ClassificationMetrics;
import dev.graft.metrics.Summary;
import dev.graft.model.GraftModel;
import dev.graft.train.Evaluator;
import dev.graft.train.FineTuner;
import dev.graft.train.TrainResult;
import dev.graft.transfer.TransferResult;
import dev.graft.transfer.Transferor;
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
     * Trains on k − 1 folds and measures on the one left out, for each fold in turn. Early
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
            dev.graft.model.ModelLayout layout = ExperimentRunner.layoutFor(p, strategy.train());
            try (NDManager m = Engines.pytorch().newBaseManager(); GraftModel model = GraftModel.build(layout, m)) {
                TransferResult tr = ExperimentRunner.transfer(p, layout, strategy);
                model.load(tr.tensors());
                TrainResult r = FineTuner.fit(model, new FineTuner.Policy(tr.modes(), tr.frozenUnits()), train, null,
                        strategy.train(), seed + f, progress.asTrainListener());
                out.add(r.status() == TrainResult.Status.DIVERGED ? null : Evaluator.evaluate(model, held, 256));
            }
        }
        List<ClassificationMetrics> ok = out.stream().filter(java.util.Objects::nonNull).toList();
        return new Result(out, Summary.of(ok.stream().mapToDouble(ClassificationMetrics::accuracy).toArray()),
                Summary.of(ok.stream().mapToDouble(ClassificationMetrics::macroF1).toArray()));
    }
}
