package dev.graft.search;

import dev.graft.experiment.ExperimentRunner;
import dev.graft.experiment.RunRecord;
import dev.graft.train.TrainResult;

/**
 * Evaluates trials in this JVM, one at a time (DJL allows one active gradient collector per JVM).
 */
public final class LocalExecutor implements TrialExecutor {
    private final PolicyObjective objective;

    public LocalExecutor(PolicyObjective objective) {
        this.objective = objective;
    }

    @Override
    public synchronized Evaluation evaluate(int[] point, EpochCallback callback) {
        PolicyObjective.Scored r;
        try {
            r = objective.score(point, new ExperimentRunner.Progress() {
                @Override
                public boolean stopRun(TrainResult.EpochRecord rec) {
                    return !Double.isNaN(rec.validation()) && !callback.onEpoch(rec.epoch(),
                            objective.metric().oriented(rec.validation()));
                }
            });
        } catch (RuntimeException e) {
            return new Evaluation(Double.NaN, TrialState.FAILED, String.valueOf(e.getMessage()));
        }
        return of(r);
    }

    /** The evaluation a scored run amounts to. */
    static Evaluation of(PolicyObjective.Scored s) {
        RunRecord r = s.run();
        double v = s.value();
        if (r.status() == TrainResult.Status.PRUNED) {
            return new Evaluation(v, TrialState.PRUNED, r.message(), s.objectives(), s.stderr());
        }
        if (Double.isNaN(v)) {
            return new Evaluation(v, TrialState.FAILED, r.message());
        }
        return new Evaluation(v, TrialState.COMPLETE, "", s.objectives(), s.stderr());
    }

    @Override
    public int parallelism() {
        return 1;
    }

    @Override
    public void close() {
        // nothing held
    }
}
