package dev.graft.experiment;

import ai.djl.ndarray.NDManager;
import dev.graft.GraftInputException;
import dev.graft.checkpoint.Checkpoints;
import dev.graft.checkpoint.Dims;
import dev.graft.checkpoint.MemoryWeightStore;
import dev.graft.checkpoint.WeightStore;
import dev.graft.data.Examples;
import dev.graft.engine.Engines;
import dev.graft.metrics.ClassificationMetrics;
import dev.graft.model.GraftModel;
import dev.graft.model.ModelLayout;
import dev.graft.model.ModelSpec;
import dev.graft.retention.SourceTask;
import dev.graft.train.Evaluator;
import dev.graft.train.FineTuner;
import dev.graft.train.TrainConfig;
import dev.graft.train.TrainListener;
import dev.graft.train.TrainResult;
import dev.graft.transfer.PlanCodec;
import dev.graft.transfer.TransferPlan;
import dev.graft.transfer.TransferResult;
import dev.graft.transfer.Transferor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs experiments: loads their files, pre-trains a source when asked, and fine-tunes strategies
 * over shots and seeds. Runs one fine-tune at a time (one gradient collector per JVM).
 */
public final class ExperimentRunner {
    private ExperimentRunner() {}

    /** Hears about progress. */
    public interface Progress {
        /** A run is about to start. */
        default void runStarting(int index, int total, String strategy, int shots, long seed) { }

        /** An epoch of the current run finished. */
        default void epoch(TrainResult.EpochRecord record, int epochs) { }

        /** Whether the current run should stop now (a pruner's decision). */
        default boolean stopRun(TrainResult.EpochRecord record) {
            return false;
        }

        /** This progress as the training loop's listener: it hears epochs and may stop the run. */
        default TrainListener asTrainListener() {
            Progress self = this;
            return new TrainListener() {
                @Override
                public void onEpoch(TrainResult.EpochRecord rec, int epochs) {
                    self.epoch(rec, epochs);
                }

                @Override
                public boolean shouldStop(TrainResult.EpochRecord rec) {
                    return self.stopRun(rec);
                }
            };
        }

        /** A run finished. */
        default void runFinished(int index, int total, RunRecord record) { }

        /** A free-form status line (pre-training, loading). */
        default void status(String line) { }

        Progress NONE = new Progress() { };
    }

    /**
     * Loads everything an experiment names.
     *
     * @throws GraftInputException if a file is missing or invalid
     */
    public static Prepared prepare(ExperimentConfig c, Path file, Progress progress) {
        Path dir = file.toAbsolutePath().getParent();
        String label = file.toString();
        if (c.model() == null) {
            throw new GraftInputException(label + ": missing 'model'");
        }
        ModelLayout layout = ExperimentModel.layout(c.model(), dir, label);
        // Like every other path in an experiment, output is relative to the experiment's folder; only
        // the default (no output key) lives in the working directory.
        Path output = c.output() != null ? resolve(dir, c.output())
                : resolve(Path.of("").toAbsolutePath(), "graft-out/" + (c.name() == null ? "experiment" : c.name()));
        requireWritable(output, label + ": output");
        Double vf = c.data() == null ? null : c.data().validationFraction();
        if (vf != null && !(vf >= 0 && vf < 1)) {
            throw new GraftInputException(label + ": data.validation_fraction: must be in [0, 1), got " + vf);
        }
        boolean perClass = c.data() != null && c.data().validationPerClass() != null
                && c.data().validationPerClass() > 0;
        if (perClass && vf != null && vf > 0) {
            // the fraction would win and validation_per_class be ignored without a word
            throw new GraftInputException(label + ": data: give validation_per_class or validation_fraction, not both");
        }
        boolean validationSplit = perClass || (vf != null && vf > 0);
        var stopping = c.train() == null ? null : c.train().earlyStopping();
        if (stopping != null && !Integer.valueOf(0).equals(stopping.patience()) && !validationSplit) {
            // with nothing to watch it would never stop, silently
            throw new GraftInputException(label + ": train.early_stopping watches a validation split; set "
                    + "data.validation_per_class (or data.validation_fraction)");
        }
        if (c.shots() != null && c.shots().stream().anyMatch(k -> k == null || k < 1)) {
            throw new GraftInputException(label + ": shots: each must be at least 1 (leave shots out to use the whole "
                    + "pool), got " + c.shots());
        }
        boolean regression = RegressionData.loss(c.task(), label + ": task").isPresent();
        if (regression) {
            RegressionRules.check(c, label);
        } else {
            RegressionRules.classification(c.train(), label + ": train");
        }
        TaskData data = TaskData.load(c.data(), c.task(), dir, label + ": data");
        if (data.tokens()) {
            TextTaskRules.check(c, label);
        }
        requireInputShape(label + ": data", data.pool(), layout);
        TextTaskRules.requireTokens(data, layout, label);
        long out = layout.output().get(0);
        if (regression && out != 1) {
            throw new GraftInputException(label + ": the model has " + out + " outputs but a regression (task: "
                    + "regression) predicts one value: give its head out: 1");
        }
        if (out != data.pool().classes()) {
            throw new GraftInputException(label + ": the model has " + out + " outputs but the data has "
                    + data.pool().classes() + " classes");
        }
        TrainConfig train = TrainSettings.apply(TrainSettings.defaults(data), c.train(), label + ": train");
        RobustnessSettings.attack(c.robustness(), label + ": robustness"); // refused before any training
        WeightStore source = new MemoryWeightStore(null, Map.of(), Map.of());
        String sourceLabel = "none";
        String sha = "";
        if (c.source() != null && c.source().checkpoint() != null) {
            Path ckpt = resolve(dir, c.source().checkpoint());
            sha = Checkpoints.sha256(ckpt);
            source = Checkpoints.open(ckpt);
            sourceLabel = ckpt.getFileName().toString();
        } else if (c.source() != null && c.source().pretrain() != null) {
            source = pretrain(c.source().pretrain(), c.task(), layout, dir, label, progress);
            sourceLabel = "pretrain";
        }
        SourceTask task = c.retention() == null ? null : sourceTask(c.retention(), layout, source, dir, label);
        return new Prepared(c, file, layout, data, source, sourceLabel, sha, train, output, task);
    }

    /** The source task an experiment's {@code retention} section names. */
    private static SourceTask sourceTask(ExperimentConfig.RetentionSection r, ModelLayout layout, WeightStore source,
            Path dir, String label) {
        String where = label + ": retention";
        if (r.data() == null) {
            throw new GraftInputException(where + ": missing 'data' (the source task's data)");
        }
        if (source.names().isEmpty()) {
            throw new GraftInputException(where + ": needs a source checkpoint or pre-training");
        }
        String head = r.head();
        if (head == null) {
            head = layout.head();
        }
        TaskData d = TaskData.load(r.data(), dir, where + ".data");
        requireInputShape(where + ".data", d.pool(), layout);
        if (d.test() == null) {
            throw new GraftInputException(where + ".data: needs a test set (test files or test_fraction)");
        }
        Examples test = r.testPerClass() == null ? d.test()
                : d.testKShot(r.testPerClass(), 0, where + ".test_per_class").first();
        int fisherSamples = r.fisherSamples() == null ? 200 : r.fisherSamples();
        if (fisherSamples < 1) {
            throw new GraftInputException(where + ".fisher_samples: must be positive");
        }
        int perClass = (fisherSamples + d.pool().classes() - 1) / d.pool().classes();
        Examples.Split fisher = d.kShot(d.pool(), perClass, 0, where + ".fisher_samples", "");
        int validationPerClass = r.data().validationPerClass() == null ? 20 : r.data().validationPerClass();
        Examples validation = d.kShot(fisher.rest(), validationPerClass, 1, where + ".data.validation_per_class",
                "after " + perClass + " per class for fisher_samples").first();
        return new SourceTask(head, layout, source, test, validation, fisher.first(), where);
    }

    /**
     * Trains the model spec from scratch on the pre-training data and returns its weights; the
     * experiment's {@code task} applies (the same network, so the same kind of output).
     */
    private static WeightStore pretrain(ExperimentConfig.PretrainSection p, ExperimentConfig.TaskSection task,
            ModelLayout layout, Path dir, String label,
            Progress progress) {
        // the same model pre-trains: a regression's one output pre-trains on values too
        TaskData data = TaskData.load(p.data(), task, dir, label + ": source.pretrain.data");
        if (data.tokens()) {
            TextTaskRules.train(p.train(), label + ": source.pretrain.train");
        }
        requireInputShape(label + ": source.pretrain.data", data.pool(), layout);
        ModelLayout src = layout;
        if (layout.output().get(0) != data.pool().classes()) {
            throw new GraftInputException(label + ": source.pretrain: the model has " + layout.output().get(0)
                    + " outputs but the source data has " + data.pool().classes() + " classes");
        }
        TrainConfig cfg = TrainSettings.apply(TrainSettings.defaults(data), p.train(),
                label + ": source.pretrain.train");
        progress.status("pre-training the source model on " + data.pool().size() + " samples, " + cfg.epochs()
                + " epochs");
        try (NDManager m = Engines.pytorch().newBaseManager(); GraftModel model = GraftModel.build(src, m)) {
            TransferResult init = Transferor.apply(new MemoryWeightStore(null, Map.of(), Map.of()), src,
                    new TransferPlan(List.of(), false, 0), true);
            model.load(init.tensors());
            TrainResult r = FineTuner.fit(model, FineTuner.Policy.allTrainable(), data.pool(), null, cfg, 0,
                    progress.asTrainListener());
            if (r.status() == TrainResult.Status.DIVERGED) {
                throw new GraftInputException(label + ": source.pretrain diverged: " + r.message());
            }
            return new MemoryWeightStore(null, model.stateDict(), Map.of());
        }
    }

    /** One strategy at one shot count and seed: transfer, fine-tune, evaluate on the test set. */
    public static RunRecord run(Prepared p, Strategies.Resolved strategy, int shots, long seed, Progress progress,
            java.util.function.Consumer<GraftModel> keep) {
        return run(p, strategy, shots, seed, progress, keep, true);
    }

    /**
     * As {@link #run(Prepared, Strategies.Resolved, int, long, Progress, java.util.function.Consumer)};
     * with {@code measureTest} false the test set is not touched (search must never see it).
     */
    public static RunRecord run(Prepared p, Strategies.Resolved strategy, int shots, long seed, Progress progress,
            java.util.function.Consumer<GraftModel> keep, boolean measureTest) {
        return run(p, strategy, shots, seed, progress, keep, measureTest, List.of());
    }

    /** As the run above, with {@code extra} loss terms beside the strategy's own (domain adaptation). */
    public static RunRecord run(Prepared p, Strategies.Resolved strategy, int shots, long seed, Progress progress,
            java.util.function.Consumer<GraftModel> keep, boolean measureTest, List<dev.graft.train.LossTerm> extra) {
        Splits s = splits(p, shots, seed);
        return runOn(p, strategy, shots, seed, s.train(), s.validation(), measureTest ? p.data().test() : null,
                measureTest, progress, keep, extra);
    }

    /**
     * One strategy trained on {@code train} (with {@code validation} for its history and early
     * stopping, or null for none) and measured on {@code measured}: the record's {@code test}
     * holds those metrics, or null when {@code measured} is null. Cross-validated search fitness
     * measures a held-out fold this way; the search's refit on every labelled image measures the
     * test set.
     *
     * @param shots recorded in the run, not used to split
     * @param retention whether to measure source retention after training (needs a source task)
     */
    public static RunRecord runOn(Prepared p, Strategies.Resolved strategy, int shots, long seed, Examples train,
            Examples validation, Examples measured, boolean retention, Progress progress,
            java.util.function.Consumer<GraftModel> keep, List<dev.graft.train.LossTerm> extra) {
        if (strategy.head() != null) {
            // a classical head: fitted on the encoder's features, measured by its own probabilities
            return ClassicalRun.run(p, strategy, shots, seed, train, validation, measured, retention, progress)
                    .record();
        }
        long start = System.nanoTime();
        Splits s = new Splits(train, validation, null);
        boolean measureTest = measured != null;
        ModelLayout layout = layoutFor(p, strategy.train());
        requireSource(p, strategy, layout);
        try (NDManager m = Engines.pytorch().newBaseManager(); GraftModel model = GraftModel.build(layout, m)) {
            TransferResult tr = transfer(p, layout, strategy);
            java.util.Optional<dev.graft.model.ModelSplit> converged = ConvergedHead.applies(p, strategy, layout, tr,
                    !extra.isEmpty());
            TrainResult r;
            ClassificationMetrics fitted = null;
            dev.graft.metrics.GroupMetrics fittedGroups = null;
            if (converged.isPresent()) {
                ConvergedHead.Result c = ConvergedHead.run(converged.get(), layout, tr, s.train(), s.validation(),
                        measureTest ? measured : null, seed, strategy.train().earlyStopping().metric());
                model.load(c.tensors());
                r = c.train();
                fitted = c.test();
                fittedGroups = c.validationGroups();
            } else {
                model.load(tr.tensors());
                r = FineTuner.fit(model, new FineTuner.Policy(tr.modes(), tr.frozenUnits()), s.train(),
                        s.validation(), strategy.train(), seed, progress.asTrainListener(),
                        withExtra(lossTerms(p, strategy), extra));
            }
            ClassificationMetrics test = fitted;
            Retention kept = null;
            Deployment deployment = null;
            if (measureTest && r.status() != TrainResult.Status.DIVERGED) {
                test = test != null ? test : Evaluator.evaluate(model, measured, 256);
                if (measured == p.data().test()) {
                    // the attack costs a forward-backward pass per step and sample: spent on the
                    // test set only, never on search folds
                    test = RobustnessSettings.measure(p, model, measured, test);
                    deployment = Deployment.measure(p, model, measured);
                }
            }
            dev.graft.metrics.GroupMetrics validationGroups = null;
            if (fittedGroups != null) {
                validationGroups = fittedGroups;
            } else if (validation != null && validation.groups() != null
                    && r.status() != TrainResult.Status.DIVERGED) {
                // the kept weights' numbers, as the test set's are (the history holds one value per epoch)
                validationGroups = Evaluator.evaluate(model, validation, 256).groups();
            }
            if (retention && r.status() != TrainResult.Status.DIVERGED && p.sourceTask() != null) {
                kept = new Retention(p.sourceTask().before().accuracy(),
                        p.sourceTask().after(model.stateDict()).accuracy());
            }
            if (keep != null) {
                keep.accept(model);
            }
            return new RunRecord(strategy.name(), shots, seed, r.status(), r.message(), test, r.history().size(),
                    r.bestEpoch(), r.seconds(), (System.nanoTime() - start) / 1e9, r.history(),
                    LayerDecision.of(layout, tr, strategy.train()), null, kept, validationGroups, deployment);
        }
    }

    /**
     * The source-protection terms a strategy's regularization asks for (LwF, EWC).
     *
     * @throws GraftInputException if it asks for one and the experiment names no source task
     */
    public static List<dev.graft.train.LossTerm> lossTerms(Prepared p, Strategies.Resolved strategy) {
        dev.graft.train.Regularization reg = strategy.train().regularization();
        if (!reg.protectsSource()) {
            return List.of();
        }
        if (p.sourceTask() == null) {
            throw new GraftInputException(p.file() + ": strategy '" + strategy.name() + "' uses lwf or ewc, which "
                    + "need a 'retention' section naming the source task's data");
        }
        List<dev.graft.train.LossTerm> terms = new ArrayList<>();
        if (reg.lwf() > 0) {
            terms.add(new dev.graft.retention.LearningWithoutForgetting(p.sourceTask(), reg.lwf(),
                    reg.lwfTemperature()));
        }
        if (reg.ewc() > 0) {
            terms.add(new dev.graft.retention.ElasticWeightConsolidation(p.sourceTask().sourceState(),
                    p.sourceTask().fisher(fisherSamples(p)), reg.ewc()));
        }
        return terms;
    }

    private static List<dev.graft.train.LossTerm> withExtra(List<dev.graft.train.LossTerm> own,
            List<dev.graft.train.LossTerm> extra) {
        if (extra.isEmpty()) {
            return own;
        }
        List<dev.graft.train.LossTerm> all = new ArrayList<>(own);
        all.addAll(extra);
        return all;
    }

    private static int fisherSamples(Prepared p) {
        Integer n = p.config().retention().fisherSamples();
        return n == null ? 200 : n;
    }

    /** The experiment's model, with the training configuration's dropout applied when it sets one. */
    public static ModelLayout layoutFor(Prepared p, TrainConfig cfg) {
        return Double.isNaN(cfg.dropout()) ? p.layout() : ModelLayout.of(p.layout().spec().withDropout(cfg.dropout()));
    }

    /**
     * Training and validation sets for a shot count and seed, and the rest of the pool (whose
     * labels a strategy may not read: unlabelled data for distillation).
     */
    public record Splits(Examples train, Examples validation, Examples unlabelled) {}

    /**
     * {@code shots} per class from the pool (all of it for 0), and the validation set: a number per
     * class of the rest, or a stratified fraction of the pool.
     */
    public static Splits splits(Prepared p, int shots, long seed) {
        Examples pool = p.data().pool();
        var d = p.config().data();
        Examples validation = null;
        Examples rest = pool;
        if (d.validationFraction() != null && d.validationFraction() > 0) {
            Examples.Split v = pool.stratifiedSplit(d.validationFraction(), seed + 1_000_003);
            validation = v.first();
            rest = v.rest();
        }
        Examples train = rest;
        if (shots > 0) {
            Examples.Split k = p.data().kShot(rest, shots, seed, p.file() + ": shots",
                    validation == null ? "" : "after validation_fraction");
            train = k.first();
            rest = k.rest();
        }
        if (validation == null && d.validationPerClass() != null && d.validationPerClass() > 0) {
            Examples.Split v = p.data().kShot(rest, d.validationPerClass(), seed + 1_000_003,
                    p.file() + ": data.validation_per_class", shots > 0 ? "after " + shots + " shots" : "");
            validation = v.first();
            rest = v.rest();
            if (shots == 0) {
                // the whole pool trains: less the validation images, or they would be scored on
                // what the model was fitted to (early stopping and search fitness on training data)
                int[] counts = rest.classCounts();
                for (int c = 0; c < counts.length; c++) {
                    if (counts[c] == 0) {
                        throw new GraftInputException(p.file() + ": data.validation_per_class: class "
                                + TaskData.describe(p.data().classNames(), c) + " has every sample taken for "
                                + "validation, none left to train on");
                    }
                }
                train = rest;
            }
        }
        return new Splits(train, validation, shots > 0 ? rest : null);
    }

    /** Every strategy × shots × seed, in that nesting (shots outermost), as a comparison. */
    public static List<RunRecord> compare(Prepared p, List<? extends ComparedStrategy> strategies, Progress progress) {
        List<Integer> shots = p.config().shots() == null ? List.of(0) : p.config().shots();
        List<Long> seeds = p.config().seeds() == null ? List.of(0L) : p.config().seeds();
        int total = shots.size() * seeds.size() * strategies.size();
        List<RunRecord> out = new ArrayList<>();
        int index = 0;
        for (int k : shots) {
            for (long seed : seeds) {
                for (ComparedStrategy s : strategies) {
                    progress.runStarting(++index, total, s.name(), k, seed);
                    RunRecord r = s.run(p, k, seed, progress);
                    out.add(r);
                    progress.runFinished(index, total, r);
                }
            }
        }
        return out;
    }

    /**
     * The strategies an experiment names, for {@code graft compare}: {@code extra} resolves the
     * kinds this module does not know (policy searches), everything else is a built-in or custom
     * strategy.
     */
    public static List<ComparedStrategy> comparedStrategies(Prepared p,
            java.util.function.BiFunction<ExperimentConfig.StrategySpec, String, java.util.Optional<ComparedStrategy>> extra) {
        List<ExperimentConfig.StrategySpec> specs = p.config().strategies();
        if (specs == null || specs.isEmpty()) {
            List<ComparedStrategy> all = new ArrayList<>(strategies(p));
            all.forEach(s -> s.preflight(p));
            return all;
        }
        List<ComparedStrategy> out = new ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < specs.size(); i++) {
            String where = p.file() + ": strategies[" + i + "]";
            ExperimentConfig.StrategySpec spec = specs.get(i);
            // one refusal for every base that trains its own head, before any resolver reads the spec
            HeadBases.require(spec, where);
            ComparedStrategy s = extra.apply(spec, where).orElseGet(() -> Strategies.notSearched(p, spec, where));
            if (!names.add(s.name())) {
                throw new GraftInputException(where + ": duplicate name '" + s.name() + "'");
            }
            s.preflight(p);
            out.add(s);
        }
        return out;
    }

    /**
     * Checks, before any training, that the output folder can be made and written: a run that
     * trains for minutes and then cannot write its results loses them.
     *
     * @throws GraftInputException if the folder is a file, or it or its nearest existing parent is
     *     not a writable folder
     */
    public static void requireWritable(Path output, String where) {
        Path p = output.toAbsolutePath();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        if (p == null) {
            return;
        }
        if (!Files.isDirectory(p)) {
            throw new GraftInputException(where + ": " + p + " is a file, not a folder");
        }
        if (!Files.isWritable(p)) {
            throw new GraftInputException(where + ": " + p + " is not writable");
        }
    }

    /**
     * Refuses a policy search on an experiment without a validation split: every trial would train
     * and then have nothing to be scored on.
     *
     * @throws GraftInputException naming the experiment and the keys that make the split
     */
    public static void requireValidation(Prepared p, String what) {
        ExperimentConfig.DataSection d = p.config().data();
        boolean split = d != null && ((d.validationPerClass() != null && d.validationPerClass() > 0)
                || (d.validationFraction() != null && d.validationFraction() > 0));
        if (!split) {
            throw new GraftInputException(p.file() + ": " + what + " scores policies on a validation split; set "
                    + "data.validation_per_class (or data.validation_fraction)");
        }
    }

    /**
     * The plan a strategy transfers by: the experiment's {@code plan} (where each tensor comes from
     * and how it is reshaped) composed with the strategy's (how each trains), by
     * {@link dev.graft.transfer.PlanComposition}; the strategy's own plan when the experiment has
     * none.
     *
     * @throws GraftInputException if the experiment's plan file cannot be read
     */
    public static TransferPlan planFor(Prepared p, ModelLayout layout, TransferPlan strategy) {
        if (p.config().plan() == null) {
            return strategy;
        }
        Path file = resolve(p.dir(), p.config().plan());
        TransferPlan plan = PlanCodec.read(file);
        plan.requireEveryRuleMatches(layout, file.toString());
        return dev.graft.transfer.PlanComposition.compose(plan, strategy, layout);
    }

    /**
     * The strategy's transfer from the experiment's source, with a failure naming the experiment,
     * the source and the spec (the transfer itself knows only tensor names).
     *
     * @throws GraftInputException if the source does not fit the spec under the strategy's plan
     */
    static TransferResult transfer(Prepared p, ModelLayout layout, Strategies.Resolved strategy) {
        try {
            return Transferor.apply(p.source(), layout, planFor(p, layout, strategy.plan()), false);
        } catch (dev.graft.transfer.TransferException e) {
            throw new GraftInputException(p.file() + ": strategy '" + strategy.name() + "' from source "
                    + p.sourceLabel() + " into " + layout.spec().source() + ": " + e.getMessage());
        }
    }

    /**
     * Refuses data whose samples do not have the shape the model takes, before any training (the
     * engine would fail later with a shape error that names neither file).
     *
     * @throws GraftInputException naming {@code where}, both shapes and the spec
     */
    public static void requireInputShape(String where, Examples data, ModelLayout layout) {
        Dims input = layout.spec().input();
        if (!data.sampleShape().equals(input)) {
            boolean image = input.rank() == 3 && data.sampleShape().rank() == 3;
            throw new GraftInputException(where + ": data samples are " + data.sampleShape() + " but the model's input is "
                    + input + " (" + layout.spec().source() + ")" + (image
                            ? "; resize the images (image: {width, height, grayscale}) or change the spec's input"
                            : "; change the spec's input or the data's columns (for text, data.text.max_length)"));
        }
    }

    /**
     * Refuses a strategy that transfers weights when the experiment names no source, naming the
     * experiment and the strategy (rather than listing every tensor the empty source lacks).
     *
     * @throws GraftInputException if {@code strategy} needs a source and {@code p} has none
     */
    static void requireSource(Prepared p, Strategies.Resolved strategy, ModelLayout layout) {
        if (!p.source().names().isEmpty()) {
            return;
        }
        List<String> needing = dev.graft.transfer.Transferor.tensorsNeedingSource(layout, strategy.plan());
        if (!needing.isEmpty()) {
            throw new GraftInputException(p.file() + ": strategy '" + strategy.name() + "' transfers weights ("
                    + needing.size() + " tensors, from " + needing.get(0) + ") but the experiment has no source; "
                    + "add source: {checkpoint: FILE} or source: {pretrain: ...}, or use the scratch strategy");
        }
    }

    /** The built-in and custom strategies an experiment names (all built-ins when it names none). */
    public static List<Strategies.Resolved> strategies(Prepared p) {
        List<ExperimentConfig.StrategySpec> specs = p.config().strategies();
        if (specs == null || specs.isEmpty()) {
            specs = Strategies.BUILT_IN.stream().map(ExperimentConfig.StrategySpec::named).toList();
        }
        List<Strategies.Resolved> out = new ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < specs.size(); i++) {
            Strategies.Resolved r = Strategies.resolve(specs.get(i), p.layout(), p.train(), p.dir(), 0,
                    p.file() + ": strategies[" + i + "]");
            if (!names.add(r.name())) {
                throw new GraftInputException(p.file() + ": strategies[" + i + "]: duplicate name '" + r.name() + "'");
            }
            out.add(r);
        }
        return out;
    }

    static Path resolve(Path dir, String value) {
        Path p = Path.of(value);
        return p.isAbsolute() ? p : dir.resolve(p).normalize();
    }
}
