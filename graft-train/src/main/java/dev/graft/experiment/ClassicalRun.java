package dev.graft.experiment;

import ai.djl.ndarray.NDManager;
import dev.graft.checkpoint.Tensor;
import dev.graft.data.Examples;
import dev.graft.engine.Engines;
import dev.graft.metrics.ClassificationMetrics;
import dev.graft.model.GraftModel;
import dev.graft.model.ModelLayout;
import dev.graft.model.ModelSplit;
import dev.graft.train.ClassicalHead;
import dev.graft.train.ContrastiveTuner;
import dev.graft.train.Evaluator;
import dev.graft.train.FineTuner;
import dev.graft.train.TrainResult;
import dev.graft.transfer.TransferResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run of a strategy with a classical head ({@link FeatureHead}): the transferred network is cut
 * before the head's layer, its prefix (the encoder) optionally tuned on pairs of the shots
 * ({@link ContrastiveTuner}, each tensor as the strategy's plan says) or first fine-tuned with the
 * whole network under the plan ({@link FeatureHead#fineTuned()}: a search's trials), its features computed once per set (the test set's cached per frozen
 * encoder, shared with the converged head), and the head fitted on them ({@link ClassicalHead}).
 * The network's tensors after the cut are kept as transferred and are not used for prediction:
 * the saved head file is.
 */
public final class ClassicalRun {
    private ClassicalRun() {}

    /**
     * A fitted run.
     *
     * @param record the run as compare records it
     * @param tensors every tensor of the network (the tuned encoder's included); null if it diverged
     * @param head the fitted head; null if it diverged
     * @param measured the measured set's class probabilities {@code [N × K]}; null when none was measured
     */
    public record Result(RunRecord record, Map<String, Tensor> tensors, ClassicalHead head, float[] measured) {}

    /**
     * Transfers, (tunes,) fits and measures; the record's {@code test} holds {@code measured}'s
     * metrics, or null when it is null.
     *
     * @param retention whether to measure source retention (needs a source task)
     */
    public static Result run(Prepared p, Strategies.Resolved strategy, int shots, long seed, Examples train,
            Examples validation, Examples measured, boolean retention, ExperimentRunner.Progress progress) {
        long start = System.nanoTime();
        FeatureHead fh = strategy.head();
        ModelLayout layout = ExperimentRunner.layoutFor(p, strategy.train());
        ExperimentRunner.requireSource(p, strategy, layout);
        TransferResult tr = ExperimentRunner.transfer(p, layout, strategy);
        ModelSplit split = ModelSplit.before(layout.spec(), fh.layer(), true).orElseThrow();
        ModelLayout prefix = ModelLayout.of(split.prefix());
        Map<String, Tensor> tensors = new LinkedHashMap<>(tr.tensors());
        List<TrainResult.EpochRecord> history = new ArrayList<>();
        List<LayerDecision> decisions = LayerDecision.of(layout, tr, strategy.train());
        String tuning = "";
        if (fh.fineTuned()) {
            // the network trains under the plan as any strategy's would (its own head with it); the
            // classical head is then fitted on what its encoder became
            RunRecord net = ExperimentRunner.runOn(p, strategy.withHead(null), shots, seed, train, validation, null,
                    false, progress, m -> tensors.putAll(m.stateDict()), List.of());
            history.addAll(net.history());
            decisions = net.transfer();
            if (net.status() == TrainResult.Status.DIVERGED || net.status() == TrainResult.Status.PRUNED) {
                double seconds = (System.nanoTime() - start) / 1e9;
                return new Result(new RunRecord(strategy.name(), shots, seed, net.status(), net.message(), null,
                        history.size(), -1, seconds, seconds, history, decisions, null, null), null, null, null);
            }
            tuning = "network fine-tuned first (" + net.message() + "); ";
        }
        Examples trainF;
        Examples validationF;
        Examples measuredF = null;
        try (NDManager m = Engines.pytorch().newBaseManager(); GraftModel encoder = GraftModel.build(prefix, m)) {
            encoder.load(prefix.tensorsOf(tensors));
            if (fh.contrastive()) {
                // the plan says how each tensor of the encoder tunes on pairs (a search's policy, or
                // every one at the base rate for base: contrastive)
                TrainResult t = ContrastiveTuner.tune(encoder, layout, new FineTuner.Policy(tr.modes(),
                        tr.frozenUnits()), train, fh.iterations(), fh.epochs(), strategy.train(), seed,
                        progress.asTrainListener());
                history.addAll(t.history());
                if (t.status() == TrainResult.Status.DIVERGED) {
                    double seconds = (System.nanoTime() - start) / 1e9;
                    return new Result(new RunRecord(strategy.name(), shots, seed, t.status(), t.message(), null,
                            history.size(), -1, seconds, seconds, history, decisions, null, null), null, null, null);
                }
                tensors.putAll(encoder.stateDict());
                tuning = "encoder tuned on " + t.message() + " of pairs; ";
            }
            trainF = Evaluator.activations(encoder, train);
            validationF = validation == null ? null : Evaluator.activations(encoder, validation);
            if (measured != null) {
                // a transferred encoder's features are the same for every run: cached
                measuredF = !fh.frozenEncoder() ? Evaluator.activations(encoder, measured)
                        : ConvergedHead.cached(ConvergedHead.digest(prefix.tensorsOf(tensors)) + "@" + fh.layer(),
                                measured, encoder);
            }
        }
        ClassicalHead head = ClassicalHead.fit(fh.kind(), fh.grid(), trainF, validationF, seed);
        int classes = train.classes();
        ClassificationMetrics trainM = metrics(head.probabilities(trainF), trainF, classes);
        double val = Double.NaN;
        dev.graft.metrics.GroupMetrics validationGroups = null;
        if (validationF != null && validationF.size() > 0) {
            ClassificationMetrics v = metrics(head.probabilities(validationF), validationF, classes);
            val = v.get(strategy.train().earlyStopping().metric());
            validationGroups = v.groups();
        }
        float[] probs = measuredF == null ? null : head.probabilities(measuredF);
        ClassificationMetrics test = probs == null ? null : metrics(probs, measuredF, classes);
        double seconds = (System.nanoTime() - start) / 1e9;
        history.add(new TrainResult.EpochRecord(history.size(), trainM.loss(), val, 0, 0, seconds));
        Retention kept = null;
        if (retention && p.sourceTask() != null) {
            kept = new Retention(p.sourceTask().before().accuracy(), p.sourceTask().after(tensors).accuracy());
        }
        RunRecord record = new RunRecord(strategy.name(), shots, seed, TrainResult.Status.COMPLETED,
                tuning + head.description() + " on the input of " + fh.layer(), test, history.size(),
                history.size() - 1, seconds, seconds, history, decisions, null, kept, validationGroups);
        return new Result(record, tensors, head, probs);
    }

    /**
     * Accuracy, F1, confusion and mean log-loss of class probabilities {@code [N × K]} against
     * {@code data}'s labels (each probability floored at 1e-7 in the loss: a vote can be 0), by
     * group when {@code data} has groups.
     */
    public static ClassificationMetrics metrics(float[] probabilities, Examples data, int classes) {
        int[] predicted = new int[data.size()];
        double loss = 0;
        for (int i = 0; i < data.size(); i++) {
            predicted[i] = ClassicalHead.argmax(probabilities, i, classes);
            loss -= Math.log(Math.max(1e-7, probabilities[i * classes + data.labels()[i]]));
        }
        return ClassificationMetrics.of(data.labels(), predicted, classes,
                data.size() == 0 ? Double.NaN : loss / data.size(), data.groups());
    }
}
