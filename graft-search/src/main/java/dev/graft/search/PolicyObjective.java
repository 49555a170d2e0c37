package dev.graft.search;

import dev.graft.experiment.ExperimentRunner;
import dev.graft.experiment.Prepared;
import dev.graft.experiment.RunRecord;
import dev.graft.experiment.Strategies;
import dev.graft.train.TrainResult;

/**
 * The fitness of a policy: the validation metric after a budgeted fine-tune (the epoch whose
 * weights were kept). The test set is never touched here.
 */
public final class PolicyObjective {
    private final Prepared experiment;
    private final PolicySpace space;
    private final int shots;
    private final long seed;

    public PolicyObjective(Prepared experiment, PolicySpace space, int shots, long seed) {
        this.experiment = experiment;
        this.space = space;
        this.shots = shots;
        this.seed = seed;
    }

    /** The fine-tune of the policy at {@code point}, with its validation history; no test metrics. */
    public RunRecord run(int[] point) {
        TransferPolicy policy = space.decode(point);
        TransferPolicy.Expanded e = policy.expand(experiment.layout(), experiment.source(), experiment.train(), seed);
        Strategies.Resolved s = new Strategies.Resolved(policy.summary(), e.plan(), e.train());
        return ExperimentRunner.run(experiment, s, shots, seed, ExperimentRunner.Progress.NONE, null, false);
    }

    /**
     * The validation value of a finished run: NaN when it diverged or had no validation set.
     */
    public static double fitness(RunRecord r) {
        if (r.status() == TrainResult.Status.DIVERGED || r.history().isEmpty()) {
            return Double.NaN;
        }
        int epoch = r.bestEpoch() >= 0 ? r.bestEpoch() : r.history().size() - 1;
        return r.history().get(epoch).validation();
    }
}
