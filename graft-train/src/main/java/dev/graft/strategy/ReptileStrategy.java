package dev.graft.strategy;

import dev.graft.GraftInputException;
import dev.graft.checkpoint.WeightStore;
import dev.graft.experiment.ComparedStrategy;
import dev.graft.experiment.ExperimentConfig;
import dev.graft.experiment.ExperimentRunner;
import dev.graft.experiment.Prepared;
import dev.graft.experiment.RunRecord;
import dev.graft.experiment.Strategies;
import dev.graft.experiment.TaskData;
import java.util.Optional;

/**
 * Reptile as a strategy of {@code graft compare} ({@code base: reptile}): the initialization is
 * meta-learned once on the source task's data, then every run fine-tunes it on the target like
 * the {@code then} strategy (full by default), in place of the experiment's source weights. Set
 * beside the same strategy from plain pre-training, it compares the two ways of using the source.
 */
public final class ReptileStrategy implements ComparedStrategy {
    private final String name;
    private final Reptile reptile;
    private final TaskData source;
    private final Strategies.Resolved then;
    private WeightStore meta;
    private double metaSeconds;

    private ReptileStrategy(String name, Reptile reptile, TaskData source, Strategies.Resolved then) {
        this.name = name;
        this.reptile = reptile;
        this.source = source;
        this.then = then;
    }

    /**
     * The Reptile strategy a spec names, if its base is {@code reptile}.
     *
     * @throws GraftInputException if it names no source data or bad settings
     */
    public static Optional<ComparedStrategy> resolve(Prepared p, ExperimentConfig.StrategySpec spec, String where) {
        if (!"reptile".equals(spec.base()) && !"reptile".equals(spec.name())) {
            return Optional.empty();
        }
        ExperimentConfig.ReptileSection r = spec.reptile() == null
                ? new ExperimentConfig.ReptileSection(null, null, null, null, null, null, null) : spec.reptile();
        ExperimentConfig.DataSection data = r.data() != null ? r.data()
                : p.config().source() != null && p.config().source().pretrain() != null
                        ? p.config().source().pretrain().data() : null;
        if (data == null) {
            throw new GraftInputException(where + ".reptile.data: name the source task's data (or pre-train the "
                    + "experiment's source on it)");
        }
        Reptile reptile;
        try {
            reptile = new Reptile(r.iterations() == null ? 300 : r.iterations(),
                    r.innerSteps() == null ? 5 : r.innerSteps(), r.innerLr() == null ? 0.003 : r.innerLr(),
                    r.metaStep() == null ? 1.0 : r.metaStep(), r.shots() == null ? 5 : r.shots());
        } catch (IllegalArgumentException e) {
            throw new GraftInputException(where + ".reptile: " + e.getMessage());
        }
        Strategies.Resolved then = Strategies.resolve(ExperimentConfig.StrategySpec.named(
                r.then() == null ? "full" : r.then()), p.layout(), p.train(), p.dir(), 0, where + ".reptile.then");
        return Optional.of(new ReptileStrategy(spec.name() == null ? "reptile" : spec.name(), reptile,
                TaskData.load(data, p.dir(), where + ".reptile.data"), then));
    }

    @Override
    public String name() {
        return name;
    }

    /** The meta-learned weights, made on first use. */
    private synchronized WeightStore meta(Prepared p) {
        if (meta == null) {
            long start = System.nanoTime();
            meta = reptile.metaTrain(p.layout(), source.pool(), 0);
            metaSeconds = (System.nanoTime() - start) / 1e9;
        }
        return meta;
    }

    @Override
    public RunRecord run(Prepared p, int shots, long seed, ExperimentRunner.Progress progress) {
        Prepared fromMeta = new Prepared(p.config(), p.file(), p.layout(), p.data(), meta(p), "reptile", "",
                p.train(), p.output(), p.sourceTask());
        Strategies.Resolved seeded = then.seeded(seed).named(name);
        RunRecord r = ExperimentRunner.run(fromMeta, seeded, shots, seed, progress, null);
        return new RunRecord(name, r.shots(), r.seed(), r.status(), String.format(java.util.Locale.ROOT,
                "%s from the Reptile initialization (%d meta-iterations, %.0f s once): %s", then.name(),
                reptile.iterations(), metaSeconds, r.message()), r.test(), r.epochs(), r.bestEpoch(), r.trainSeconds(),
                r.totalSeconds(), r.history(), r.transfer(), null, r.retention(), r.validationGroups(), r.deployment());
    }
}
