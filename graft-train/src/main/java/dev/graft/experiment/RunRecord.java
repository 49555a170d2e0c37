package dev.graft.experiment;

import dev.graft.metrics.ClassificationMetrics;
import dev.graft.metrics.GroupMetrics;
import dev.graft.train.TrainResult;

/**
 * One fine-tune of a comparison, frozen once made.
 *
 * @param strategy the strategy's name
 * @param shots shots per class (0: the whole pool)
 * @param seed the seed
 * @param status how training ended
 * @param message why it ended
 * @param test metrics on the test set (null if diverged or no test set)
 * @param epochs epochs run
 * @param bestEpoch the epoch whose weights were kept (0-based)
 * @param trainSeconds wall time of training
 * @param totalSeconds wall time including transfer and evaluation
 * @param history per-epoch training loss and validation metric
 * @param transfer what the run did to each layer (empty when not known)
 * @param search how the search went, for a policy-search strategy; null otherwise
 * @param retention the source task before and after, when the experiment names one; null otherwise
 * @param validationGroups the kept model's metrics per group on the validation set, when the
 *     experiment has groups and a validation split; null otherwise (the test set's are in
 *     {@code test.groups})
 * @param deployment the model's ONNX export size and Graft's inference time, when the experiment
 *     has an {@code export} section and the run measured its test set; null otherwise
 */
public record RunRecord(String strategy, int shots, long seed, TrainResult.Status status, String message,
        ClassificationMetrics test, int epochs, int bestEpoch, double trainSeconds, double totalSeconds,
        java.util.List<TrainResult.EpochRecord> history, java.util.List<LayerDecision> transfer, SearchTrace search,
        Retention retention, GroupMetrics validationGroups, Deployment deployment) {

    /** A run without deployment figures. */
    public RunRecord(String strategy, int shots, long seed, TrainResult.Status status, String message,
            ClassificationMetrics test, int epochs, int bestEpoch, double trainSeconds, double totalSeconds,
            java.util.List<TrainResult.EpochRecord> history, java.util.List<LayerDecision> transfer,
            SearchTrace search, Retention retention, GroupMetrics validationGroups) {
        this(strategy, shots, seed, status, message, test, epochs, bestEpoch, trainSeconds, totalSeconds, history,
                transfer, search, retention, validationGroups, null);
    }

    /** A run without validation metrics per group. */
    public RunRecord(String strategy, int shots, long seed, TrainResult.Status status, String message,
            ClassificationMetrics test, int epochs, int bestEpoch, double trainSeconds, double totalSeconds,
            java.util.List<TrainResult.EpochRecord> history, java.util.List<LayerDecision> transfer,
            SearchTrace search, Retention retention) {
        this(strategy, shots, seed, status, message, test, epochs, bestEpoch, trainSeconds, totalSeconds, history,
                transfer, search, retention, null);
    }

    public RunRecord {
        history = java.util.List.copyOf(history);
        transfer = transfer == null ? java.util.List.of() : java.util.List.copyOf(transfer);
    }

    /** Trainable elements of the run's model: what it costs to fine-tune and to store per task. */
    public long trainableParameters() {
        return LayerDecision.trainable(transfer);
    }

    /** The same run as a search strategy's result: its name, message, time and trace. */
    public RunRecord asSearch(String name, String message, double seconds, SearchTrace trace) {
        return new RunRecord(name, shots, seed, status, message, test, epochs, bestEpoch, seconds, seconds, history,
                transfer, trace, retention, validationGroups, deployment);
    }

    public double accuracy() {
        return test == null ? Double.NaN : test.accuracy();
    }

    public double macroF1() {
        return test == null ? Double.NaN : test.macroF1();
    }

    /** Whether the run is a regression's (its test metrics are RMSE, MAE and R²). */
    public boolean regression() {
        return test != null && test.regression() != null;
    }

    /** A regression's test RMSE, in the target's units; NaN for a classification or without a test measurement. */
    public double rmse() {
        return regression() ? test.regression().rmse() : Double.NaN;
    }

    /** A regression's test MAE; NaN otherwise. */
    public double mae() {
        return regression() ? test.regression().mae() : Double.NaN;
    }

    /** A regression's test R²; NaN otherwise. */
    public double r2() {
        return regression() ? test.regression().r2() : Double.NaN;
    }

    /** Test accuracy under the experiment's adversarial attack, or NaN when not measured. */
    public double robustAccuracy() {
        return test == null || test.robustAccuracy() == null ? Double.NaN : test.robustAccuracy();
    }

    /** The test set's metrics per group, or null without groups or a test measurement. */
    public GroupMetrics testGroups() {
        return test == null ? null : test.groups();
    }
}
