package dev.graft.experiment;

import dev.graft.GraftInputException;
import dev.graft.model.LayerGroup;
import dev.graft.model.ModelLayout;
import dev.graft.model.ParamInfo;
import dev.graft.train.Regularization;
import dev.graft.train.TrainConfig;
import dev.graft.transfer.Initializer;
import dev.graft.transfer.Mode;
import dev.graft.transfer.PlanCodec;
import dev.graft.transfer.TensorMatch;
import dev.graft.transfer.TransferPlan;
import dev.graft.transfer.TransferRule;
import dev.graft.transfer.Transform;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The built-in strategies, each a transfer plan plus changes to the training configuration.
 * Layers are counted in the model's layer groups ({@link ModelLayout#groups()}: a linear or
 * convolution layer with its BatchNorm, or a block such as a BERT encoder layer). The head's group
 * (the spec's {@code head}, with its BatchNorm; see {@link ModelLayout#headGroup()}) is always
 * re-initialized, since the target task has new classes.
 *
 * <ul>
 *   <li>{@code scratch}: nothing transferred; everything trains.
 *   <li>{@code head_only}: feature extraction; all but the head frozen, BatchNorm statistics fixed.
 *   <li>{@code partial}: the top {@code layers} layer groups (head included) fine-tune, the rest frozen.
 *   <li>{@code full}: everything fine-tunes.
 *   <li>{@code discriminative}: everything fine-tunes with layer-wise LR decay 0.5 and gradual
 *       unfreezing, one more layer group per epoch (ULMFiT).
 *   <li>{@code l2sp}: full fine-tuning with L2-SP (α = 0.01, β = 0.01) in place of weight decay.
 * </ul>
 */
public final class Strategies {
    /** The built-in names, in table order. */
    public static final List<String> BUILT_IN = List.of("scratch", "head_only", "partial", "full", "discriminative",
            "l2sp");

    private Strategies() {}

    /**
     * A resolved strategy: its name, plan and training configuration, and the classical head it
     * fits on the transferred network's features instead of training the network's head (null: none).
     */
    public record Resolved(String name, TransferPlan plan, TrainConfig train, FeatureHead head)
            implements ComparedStrategy {
        /** A strategy that trains the network's own head. */
        public Resolved(String name, TransferPlan plan, TrainConfig train) {
            this(name, plan, train, null);
        }

        @Override
        public RunRecord run(Prepared experiment, int shots, long seed, ExperimentRunner.Progress progress) {
            Resolved seeded = seeded(seed);
            return ExperimentRunner.run(experiment, seeded, shots, seed, progress, null);
        }

        @Override
        public void preflight(Prepared experiment) {
            ModelLayout layout = ExperimentRunner.layoutFor(experiment, train);
            ExperimentRunner.requireSource(experiment, this, layout);
            if (head == null && train.headFit() == dev.graft.train.HeadFit.CONVERGED) {
                // refused before any strategy trains, not when this one's turn comes
                ConvergedHead.applies(experiment, this, layout, ExperimentRunner.transfer(experiment, layout, this),
                        false);
            }
        }

        /** The same strategy whose plan draws its random choices from {@code seed}. */
        public Resolved seeded(long seed) {
            return new Resolved(name, new TransferPlan(plan.rules(), plan.autoMatch(), seed), train, head);
        }

        /** The same strategy fitting {@code other} as its classical head (null: training its own head). */
        public Resolved withHead(FeatureHead other) {
            return new Resolved(name, plan, train, other);
        }

        /** The same strategy under another name. */
        public Resolved named(String other) {
            return new Resolved(other, plan, train, head);
        }
    }

    /**
     * A compared strategy that is not a policy search: distillation, an ensemble, Reptile, DANN or
     * a built-in strategy ({@link #resolve}).
     *
     * @throws GraftInputException for an unknown base, bad overrides, or a trial budget
     *     ({@code trials}), which only a search takes
     */
    public static ComparedStrategy notSearched(Prepared p, ExperimentConfig.StrategySpec spec, String where) {
        if (spec.trials() != null) {
            // before: the budget was read by nobody, and the strategy trained once without a word
            throw new GraftInputException(where + ".trials: only a policy search (base: genetic, annealing, tpe, "
                    + "reinforce, nsga2, random or grid) takes a trial budget; this strategy trains once");
        }
        return dev.graft.strategy.DistillStrategy.resolve(p, spec, where)
                .or(() -> dev.graft.strategy.EnsembleStrategy.resolve(p, spec, where))
                .or(() -> dev.graft.strategy.ReptileStrategy.resolve(p, spec, where))
                .or(() -> dev.graft.strategy.DannStrategy.resolve(p, spec, where))
                .orElseGet(() -> resolve(spec, p.layout(), p.train(), p.dir(), 0, where));
    }

    /**
     * Resolves a strategy spec against the experiment's base training configuration.
     *
     * @throws GraftInputException for an unknown base or bad overrides
     */
    public static Resolved resolve(ExperimentConfig.StrategySpec spec, ModelLayout layout, TrainConfig base,
            Path dir, long seed, String where) {
        String name = spec.name() == null ? spec.base() : spec.name();
        if (name == null) {
            throw new GraftInputException(where + ": a strategy needs a name");
        }
        String kind = spec.base() == null ? (BUILT_IN.contains(name) ? name : "full") : spec.base();
        HeadBases.require(spec, where);
        FeatureHead featureHead = FeatureHead.of(spec, layout, where);
        if (featureHead != null) {
            if (featureHead.contrastive()) {
                // the encoder trains (on pairs), the network's own head is not used
                kind = "full";
            } else if (spec.base() == null || kind.equals("head_only")) {
                kind = "head_only";
            }
            // any other base with a head is not a built-in: refused as unknown below
        }
        if (!BUILT_IN.contains(kind)) {
            throw new GraftInputException(where + ": unknown strategy '" + kind + "' (" + String.join(", ", BUILT_IN)
                    + ", contrastive)");
        }
        List<LayerGroup> groups = layout.groups();
        LayerGroup head = layout.headGroup();
        // the default (2) is capped by the model: a one-group model must still resolve every strategy
        int layers = spec.layers() == null ? Math.min(2, groups.size()) : spec.layers();
        if (layers < 1 || layers > groups.size()) {
            throw new GraftInputException(where + ".layers: must be between 1 and " + groups.size()
                    + " (the model's layer groups)");
        }
        TransferPlan plan;
        TrainConfig cfg = base;
        List<TransferRule> rules = new ArrayList<>();
        for (String h : head.globs()) {
            rules.add(rule(h, new Mode.Reinit(Initializer.DEFAULT)));
        }
        switch (kind) {
            case "scratch" -> {
                rules.clear();
                rules.add(rule("**", new Mode.Reinit(Initializer.DEFAULT)));
            }
            case "head_only" -> {
                rules.add(rule("**", new Mode.Frozen()));
                cfg = cfg.withFrozenBatchNormStats(true);
            }
            case "partial" -> {
                for (LayerGroup g : groups.subList(groups.size() - layers, groups.size())) {
                    if (!g.equals(head)) {
                        g.globs().forEach(glob -> rules.add(rule(glob, new Mode.FineTune(1))));
                    }
                }
                rules.add(rule("**", new Mode.Frozen()));
            }
            case "full" -> { }
            case "discriminative" -> cfg = cfg.withLayerwise(0.5, Math.max(1, cfg.gradualUnfreezeEvery()));
            case "l2sp" -> {
                Regularization r = cfg.regularization();
                cfg = cfg.withRegularization(new Regularization(r.l1(), r.l2(), 0.01, 0.01, r.lwf(), r.lwfTemperature(),
                        r.ewc()))
                        .withOptimizer(cfg.optimizer().withWeightDecay(0));
            }
            default -> throw new IllegalStateException(kind);
        }
        plan = new TransferPlan(rules, true, seed);
        if (spec.plan() != null) {
            Path p = Path.of(spec.plan());
            Path file = p.isAbsolute() ? p : dir.resolve(p).normalize();
            plan = PlanCodec.read(file);
            plan.requireEveryRuleMatches(layout, file.toString());
            plan = new TransferPlan(plan.rules(), plan.autoMatch(), seed);
        }
        cfg = TrainSettings.apply(cfg, spec.train(), where + ".train");
        return new Resolved(name, plan, cfg, featureHead);
    }

    private static TransferRule rule(String glob, Mode mode) {
        return new TransferRule(TensorMatch.glob(glob), Optional.empty(), new Transform.Copy(), mode, Optional.empty());
    }
}
