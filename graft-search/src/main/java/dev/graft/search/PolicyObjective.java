package dev.graft.search;

import dev.graft.experiment.ExperimentRunner;
import dev.graft.experiment.FeatureHead;
import dev.graft.experiment.Prepared;
import dev.graft.experiment.RunRecord;
import dev.graft.experiment.Strategies;
import dev.graft.metrics.MetricName;
import dev.graft.train.EarlyStopping;
import dev.graft.train.TrainConfig;
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
    private final MetricName metric;
    private final PrefixFeatureCache cache;
    private final Objectives objectives;
    private final FitnessEstimator estimator;
    private final FeatureHead head;

    public PolicyObjective(Prepared experiment, PolicySpace space, int shots, long seed, MetricName metric) {
        this(experiment, space, shots, seed, metric, null);
    }

    /**
     * @param cache frozen-prefix activations to reuse, or null to always run the whole model
     */
    public PolicyObjective(Prepared experiment, PolicySpace space, int shots, long seed, MetricName metric,
            PrefixFeatureCache cache) {
        this(experiment, space, shots, seed, metric, cache, Objectives.TARGET_ONLY, Fitness.HOLDOUT, null);
    }

    private PolicyObjective(Prepared experiment, PolicySpace space, int shots, long seed, MetricName metric,
            PrefixFeatureCache cache, Objectives objectives, Fitness fitness, FeatureHead head) {
        this.experiment = experiment;
        this.space = space;
        this.shots = shots;
        this.seed = seed;
        this.metric = metric;
        this.cache = cache;
        this.objectives = objectives;
        this.estimator = new FitnessEstimator(experiment, fitness, shots, seed, metric);
        this.head = head;
    }

    /** This objective scoring {@code o} (the target metric alone by default). */
    public PolicyObjective withObjectives(Objectives o) {
        return new PolicyObjective(experiment, space, shots, seed, metric, cache, o, estimator.fitness(), head);
    }

    /** This objective estimating a policy's value by {@code f} (the holdout by default). */
    public PolicyObjective withFitness(Fitness f) {
        return new PolicyObjective(experiment, space, shots, seed, metric, cache, objectives, f, head);
    }

    /**
     * This objective fitting {@code h} on every policy's encoder ({@link SearchHead}): a policy's
     * value is then the classical head's validation metric (null: the network's own head's).
     */
    public PolicyObjective withHead(FeatureHead h) {
        return new PolicyObjective(experiment, space, shots, seed, metric, cache, objectives, estimator.fitness(), h);
    }

    /** The classical head every policy ends in, or null when the network's own head is scored. */
    public FeatureHead head() {
        return head;
    }

    /**
     * {@code strategy} ending in this search's classical head, as every candidate of the final
     * choice does (the hand strategies too); itself when the search has none.
     */
    public Strategies.Resolved withHead(Strategies.Resolved strategy) {
        return head == null ? strategy : strategy.withHead(head);
    }

    /** Its frozen-prefix activation cache, or null when it has none. */
    public PrefixFeatureCache cache() {
        return cache;
    }

    /** Shots per class of its split (0: the whole pool). */
    public int shots() {
        return shots;
    }

    /** Its fitness estimator, which the final selection uses for the hand strategies too. */
    public FitnessEstimator estimator() {
        return estimator;
    }

    /**
     * A policy's evaluation: its run, the value the sampler maximizes and, with several
     * objectives, each one's value in the search's order; {@code stderr} is the value's standard
     * error (NaN with several objectives).
     */
    public record Scored(RunRecord run, double value, double[] objectives, double stderr) {
        public Scored(RunRecord run, double value, double[] objectives) {
            this(run, value, objectives, Double.NaN);
        }
    }

    /**
     * Fine-tunes the policy at {@code point} and scores it. With objectives that need the model
     * (retention, latency, worst_group, robustness) the whole model trains (no prefix cache) and is
     * measured after training: source validation accuracy through the source head, milliseconds per
     * validation sample, the worst group's validation accuracy, and validation accuracy under the
     * experiment's {@code robustness} attack ({@link ValidationRobustness}). The test sets are never
     * touched.
     */
    public Scored score(int[] point, ExperimentRunner.Progress progress) {
        if (!objectives.multiple()) {
            FitnessEstimator.Estimated e = estimator.estimate(strategy(point), trainSeed -> run(point, progress),
                    progress);
            return new Scored(e.run(), e.estimate().mean(), new double[0], e.estimate().stderr());
        }
        double[] measured = {Double.NaN, Double.NaN, Double.NaN};
        RunRecord r;
        if (objectives.needsModel()) {
            ExperimentRunner.Splits splits = ExperimentRunner.splits(experiment, shots, seed);
            dev.graft.data.Examples timed = splits.validation() != null ? splits.validation() : splits.train();
            r = ExperimentRunner.run(experiment, strategy(point), shots, seed, progress, model -> {
                if (objectives.list().contains(Objectives.Objective.RETENTION)) {
                    measured[0] = experiment.sourceTask().onValidation(model.stateDict()).accuracy();
                }
                if (objectives.list().contains(Objectives.Objective.LATENCY)) {
                    dev.graft.train.Evaluator.evaluate(model, timed, 256);
                    long start = System.nanoTime();
                    dev.graft.train.Evaluator.evaluate(model, timed, 256);
                    measured[1] = (System.nanoTime() - start) / 1e6 / timed.size();
                }
                if (objectives.list().contains(Objectives.Objective.ROBUSTNESS)) {
                    measured[2] = ValidationRobustness.of(experiment, model, timed);
                }
            }, false);
        } else {
            r = run(point, progress);
        }
        double target = fitness(r, metric);
        double[] v = new double[objectives.list().size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = switch (objectives.list().get(i)) {
                case TARGET -> target;
                case RETENTION -> measured[0];
                case PARAMETERS -> r.trainableParameters();
                case LATENCY -> measured[1];
                case WORST_GROUP -> r.validationGroups() == null ? Double.NaN : r.validationGroups().worstAccuracy();
                case ROBUSTNESS -> measured[2];
            };
        }
        long total = experiment.layout().params().stream().filter(q -> q.role().trainable())
                .mapToLong(q -> q.dims().count()).sum();
        return new Scored(r, Double.isNaN(target) ? Double.NaN : objectives.value(v, total), v);
    }

    /** The strategy (plan and training configuration) a point stands for. */
    public Strategies.Resolved strategy(int[] point) {
        TransferPolicy policy = space.decode(point);
        TransferPolicy.Expanded e = policy.expand(experiment.layout(), experiment.source(), experiment.train(), seed);
        TrainConfig t = e.train();
        EarlyStopping es = t.earlyStopping();
        TrainConfig watched = t.withEarlyStopping(
                new EarlyStopping(metric, es.patience(), es.patience() > 0 && es.restoreBest()));
        return new Strategies.Resolved(policy.summary(), e.plan(), watched, head);
    }

    /** The fine-tune of the policy at {@code point}, with its validation history; no test metrics. */
    public RunRecord run(int[] point) {
        return run(point, ExperimentRunner.Progress.NONE);
    }

    /**
     * As {@link #run(int[])}, with a progress that hears epochs and may stop the run (pruning).
     * When the policy freezes a prefix of whole layers, no augmentation or adversarial training
     * applies (both change the inputs every step) and a cache is set, the prefix's activations
     * come from the cache and only the suffix trains.
     */
    public RunRecord run(int[] point, ExperimentRunner.Progress progress) {
        Strategies.Resolved s = strategy(point);
        // a classical head reads the encoder after training: a cached frozen prefix would not tell
        if (head == null && cache != null && !s.train().augment().any() && !s.train().adversarial().on()) {
            java.util.Optional<RunRecord> r = PrefixRuns.run(experiment, space.decode(point), s, shots, seed, cache,
                    progress);
            if (r.isPresent()) {
                return r.get();
            }
        }
        return ExperimentRunner.run(experiment, s, shots, seed, progress, null, false);
    }

    /** The policy's run measured once on the test set (after the search; never during it). */
    public RunRecord runWithTest(int[] point) {
        return ExperimentRunner.run(experiment, strategy(point), shots, seed, ExperimentRunner.Progress.NONE, null, true);
    }

    /**
     * The validation value of a finished run, oriented so that larger is better
     * ({@link MetricName#oriented}: minus RMSE for a regression): NaN when it diverged or had no
     * validation set.
     *
     * @param metric the metric the run's history records
     */
    public static double fitness(RunRecord r, MetricName metric) {
        if (r.status() == TrainResult.Status.DIVERGED || r.history().isEmpty()) {
            return Double.NaN;
        }
        int epoch = r.bestEpoch() >= 0 ? r.bestEpoch() : r.history().size() - 1;
        return metric.oriented(r.history().get(epoch).validation());
    }

    /** The validation metric its runs record (the search's metric). */
    public MetricName metric() {
        return metric;
    }
}
