package dev.graft.search;

import dev.graft.GraftInputException;
import dev.graft.experiment.ExperimentConfig;
import dev.graft.experiment.ExperimentConfig.SearchSection;
import dev.graft.metrics.MetricName;
import dev.graft.train.OptimizerKind;
import java.util.List;
import java.util.Locale;

/**
 * A search section resolved with its defaults.
 *
 * @param sampler the sampler's name
 * @param trials finished trials to run
 * @param shots shots per class (0: the whole pool)
 * @param seed the seed of the sampler and of the split
 * @param metric the validation metric maximized
 * @param pruner the pruner's name
 * @param choices the gene choices
 * @param section the section as written (for sampler settings)
 */
public record SearchSettings(String sampler, int trials, int shots, long seed, MetricName metric, String pruner,
        PolicySpace.Choices choices, SearchSection section, Objectives objectives) {

    private static final List<String> SAMPLERS = List.of("genetic", "annealing", "tpe", "reinforce", "nsga2", "random", "grid");
    private static final List<String> PRUNERS = List.of("none", "median", "successive_halving");
    private static final List<String> PRIORS = List.of("none", "logme");

    /**
     * Resolves an experiment's search section.
     *
     * @throws GraftInputException for unknown names or bad values (the message names the key)
     */
    public static SearchSettings of(ExperimentConfig c, String where) {
        SearchSection s = c.search() == null ? new SearchSection(null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null)
                : c.search();
        String sampler = lower(s.sampler(), "tpe");
        if (!SAMPLERS.contains(sampler)) {
            throw new GraftInputException(where + ".sampler: unknown sampler '" + sampler + "' ("
                    + String.join(", ", SAMPLERS) + ")");
        }
        String pruner = lower(s.pruner(), "none");
        if (!PRUNERS.contains(pruner)) {
            throw new GraftInputException(where + ".pruner: unknown pruner '" + pruner + "' ("
                    + String.join(", ", PRUNERS) + ")");
        }
        int trials = s.trials() == null ? 20 : s.trials();
        if (trials < 1) {
            throw new GraftInputException(where + ".trials: must be positive");
        }
        if (s.prunerMinEpochs() != null && s.prunerMinEpochs() < 1) {
            throw new GraftInputException(where + ".pruner_min_epochs: must be at least 1");
        }
        if (s.prunerReductionFactor() != null && s.prunerReductionFactor() < 2) {
            throw new GraftInputException(where + ".pruner_reduction_factor: must be at least 2");
        }
        if (s.timeoutS() != null && !(s.timeoutS() > 0)) {
            throw new GraftInputException(where + ".timeout_s: must be positive");
        }
        int shots = s.shots() != null ? s.shots() : c.shots() == null || c.shots().isEmpty() ? 0 : c.shots().get(0);
        // a regression's search minimizes validation RMSE (the search maximizes −RMSE)
        boolean regression = c.task() != null && "regression".equalsIgnoreCase(c.task().type());
        String metric = lower(s.metric(), regression ? "rmse" : "accuracy");
        if (regression && !metric.equals("rmse")) {
            throw new GraftInputException(where + ".metric: a regression's search minimizes validation rmse; '"
                    + metric + "' is not what it minimizes (leave it out or write rmse)");
        }
        if (!regression && !metric.equals("accuracy") && !metric.equals("macro_f1")) {
            throw new GraftInputException(where + ".metric: must be accuracy or macro_f1"
                    + (metric.equals("rmse") ? " (rmse is a regression's: set task: regression)" : ""));
        }
        PolicySpace.Choices d = PolicySpace.Choices.defaults();
        if (c.contrastive() != null) {
            // a SetFit search tunes the encoder for contrastive.epochs passes over the pairs: the
            // epochs gene says so (SearchHead refuses any other choice)
            int passes = c.contrastive().epochs() == null ? 1 : c.contrastive().epochs();
            d = new PolicySpace.Choices(d.lrMultipliers(), d.fractions(), d.baseLrs(), d.l2sp(), d.optimizers(),
                    List.of(passes), d.searchHead(), d.groups());
        }
        var g = s.genes();
        PolicySpace.Choices choices = g == null ? d : new PolicySpace.Choices(
                nonEmpty(g.lrMultipliers(), d.lrMultipliers(), where + ".genes.lr_multipliers"),
                nonEmpty(g.fractions(), d.fractions(), where + ".genes.fractions"),
                nonEmpty(g.baseLrs(), d.baseLrs(), where + ".genes.base_lrs"),
                nonEmpty(g.l2sp(), d.l2sp(), where + ".genes.l2sp"),
                g.optimizers() == null ? d.optimizers() : g.optimizers().stream().map(o -> {
                    try {
                        return OptimizerKind.valueOf(o.toUpperCase(Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        throw new GraftInputException(where + ".genes.optimizers: unknown optimizer '" + o + "'");
                    }
                }).toList(),
                nonEmpty(g.epochs(), d.epochs(), where + ".genes.epochs"),
                g.searchHead() != null && g.searchHead(), g.groups() == null ? java.util.Map.of() : g.groups());
        Objectives objectives = Objectives.of(s.objectives(), s.weights(), where);
        if (objectives.list().contains(Objectives.Objective.RETENTION) && c.retention() == null) {
            throw new GraftInputException(where + ".objectives: 'retention' needs a 'retention' section naming the "
                    + "source task's data");
        }
        if (objectives.list().contains(Objectives.Objective.WORST_GROUP)
                && (c.data() == null || c.data().groups() == null)) {
            throw new GraftInputException(where + ".objectives: 'worst_group' needs data.groups (which samples "
                    + "form each group)");
        }
        if (objectives.list().contains(Objectives.Objective.ROBUSTNESS) && c.robustness() == null) {
            throw new GraftInputException(where + ".objectives: 'robustness' needs a 'robustness' section (the attack "
                    + "whose accuracy on the validation split it measures)");
        }
        if (sampler.equals("nsga2") && !objectives.multiple()) {
            throw new GraftInputException(where + ".sampler: nsga2 needs two or more 'objectives'");
        }
        if (objectives.multiple() && !pruner.equals("none")) {
            throw new GraftInputException(where + ".pruner: pruning compares one value per epoch; with several "
                    + "objectives use none");
        }
        String prior = lower(s.prior(), "none");
        if (!PRIORS.contains(prior)) {
            throw new GraftInputException(where + ".prior: unknown prior '" + prior + "' (" + String.join(", ", PRIORS)
                    + ")");
        }
        if (prior.equals("logme") && objectives.multiple()) {
            throw new GraftInputException(where + ".prior: logme seeds a single-objective search; with several "
                    + "objectives use none");
        }
        if (objectives.multiple() && s.selection() != null) {
            // several objectives keep a Pareto front; no single choice is made to apply a rule to
            throw new GraftInputException(where + ".selection: with several objectives the search keeps the Pareto "
                    + "front and chooses no single policy; remove selection");
        }
        // resolved here for the error messages (they name the key); fitness() and selection() resolve them again
        Fitness.of(s.fitness(), !pruner.equals("none"), objectives.multiple(), where);
        Selection.of(s.selection(), where);
        return new SearchSettings(sampler, trials, shots, s.seed() == null ? 0 : s.seed(),
                regression ? MetricName.RMSE : metric.equals("accuracy") ? MetricName.ACCURACY : MetricName.MACRO_F1,
                pruner, choices, s, objectives);
    }

    /** What a trial's value is: the validation metric, or minus the weighted energy of several objectives. */
    public String valueName() {
        return objectives.multiple() ? "-energy" : (metric.higherIsBetter() ? "" : "-") + metric.keyword();
    }

    /** The fitness estimator's settings (validated by {@link #of}). */
    public Fitness fitness() {
        return Fitness.of(section.fitness(), !pruner.equals("none"), objectives.multiple(), "search");
    }

    /** Whether the first trials are seeded by the LogME prior over layer cuts ({@link CutPrior}). */
    public boolean logMePrior() {
        return lower(section.prior(), "none").equals("logme");
    }

    /**
     * What a trial's value means, in words, for the journal: resuming under other words would
     * compare values of different kinds.
     */
    public String scoring() {
        return valueName() + " (" + String.join(", ", objectives.names()) + ") by " + fitness().describe() + ", "
                + shots + " shots, seed " + seed;
    }

    /** The final selection's settings (validated by {@link #of}). */
    public Selection selection() {
        return Selection.of(section.selection(), "search");
    }

    /** A new sampler of the configured kind. */
    public Sampler newSampler() {
        return switch (sampler) {
            case "random" -> new RandomSampler(seed);
            case "grid" -> new GridSampler();
            case "nsga2" -> {
                var ga = section.genetic();
                NsgaSampler.Config d = NsgaSampler.Config.defaults(trials);
                yield new NsgaSampler(ga == null ? d : new NsgaSampler.Config(or(ga.population(), d.population()),
                        or(ga.generations(), d.generations()), or(ga.crossoverProbability(), d.crossoverProbability()),
                        or(ga.mutationProbability(), d.mutationProbability())), objectives, seed);
            }
            case "reinforce" -> {
                var r = section.reinforce();
                ReinforceSampler.Config d = ReinforceSampler.Config.defaults();
                yield new ReinforceSampler(r == null ? d : new ReinforceSampler.Config(
                        or(r.learningRate(), d.learningRate()), or(r.baselineDecay(), d.baselineDecay())), seed);
            }
            case "tpe" -> {
                var t = section.tpe();
                yield t == null ? TpeSampler.defaults(seed) : new TpeSampler(or(t.gamma(), 0.25), or(t.startup(), 10),
                        or(t.candidates(), 24), seed);
            }
            case "annealing" -> {
                var a = section.annealing();
                AnnealingSampler.Config d = AnnealingSampler.Config.defaults(trials);
                yield new AnnealingSampler(a == null ? d : new AnnealingSampler.Config(
                        a.cooling() == null ? d.cooling() : AnnealingSampler.Cooling.valueOf(a.cooling().toUpperCase(Locale.ROOT)),
                        or(a.alpha(), d.alpha()), trials, or(a.genesPerMove(), d.genesPerMove()),
                        or(a.calibrationMoves(), d.calibrationMoves()), or(a.initialAcceptance(), d.initialAcceptance()),
                        or(a.reheatAfter(), d.reheatAfter()), or(a.reheatFactor(), d.reheatFactor())), seed);
            }
            default -> {
                var ga = section.genetic();
                GeneticSampler.Config d = GeneticSampler.Config.defaults(trials);
                yield new GeneticSampler(ga == null ? d : new GeneticSampler.Config(or(ga.population(), d.population()),
                        or(ga.generations(), d.generations()), ga.selection() == null ? d.selection()
                                : GeneticSampler.Selection.valueOf(ga.selection().toUpperCase(Locale.ROOT)),
                        or(ga.tournamentSize(), d.tournamentSize()), or(ga.crossoverPoints(), d.crossoverPoints()),
                        or(ga.crossoverProbability(), d.crossoverProbability()),
                        or(ga.mutationProbability(), d.mutationProbability()),
                        or(ga.adaptiveMutation(), d.adaptiveMutation()), or(ga.elites(), d.elites()),
                        or(ga.steadyGenerations(), d.steadyGenerations())), seed);
            }
        };
    }

    /** A frozen-prefix activation cache of the configured size, or null when it is off. */
    public PrefixFeatureCache newCache() {
        int mb = section.cacheMb() == null ? 512 : section.cacheMb();
        return mb <= 0 ? null : new PrefixFeatureCache((long) mb << 20);
    }

    /** Seconds after which no new trial starts, or infinity. */
    public double timeoutSeconds() {
        return section.timeoutS() == null ? Double.POSITIVE_INFINITY : section.timeoutS();
    }

    /** The configured pruner, or null for none. */
    public Pruner newPruner() {
        return switch (pruner) {
            case "median" -> new MedianPruner(3, 2);
            // η = 4 as Optuna's default; the first rung at a thirtieth of the epochs: of the rungs
            // measured on the CNN benchmark (BENCHMARKS.md) it was the cheapest, and found the same best
            case "successive_halving" -> new SuccessiveHalvingPruner(or(section.prunerMinEpochs(),
                    Math.max(1, choices.epochs().stream().mapToInt(Integer::intValue).min().orElse(10) / 30)),
                    or(section.prunerReductionFactor(), 4));
            default -> null;
        };
    }

    private static String lower(String v, String fallback) {
        return v == null ? fallback : v.toLowerCase(Locale.ROOT);
    }

    private static <T> List<T> nonEmpty(List<T> v, List<T> fallback, String where) {
        if (v == null) {
            return fallback;
        }
        if (v.isEmpty()) {
            throw new GraftInputException(where + ": give at least one choice");
        }
        return v;
    }

    private static <T> T or(T v, T fallback) {
        return v == null ? fallback : v;
    }
}
