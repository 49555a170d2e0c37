package dev.graft.search;

import dev.graft.experiment.ComparedStrategy;
import dev.graft.experiment.ExperimentConfig;
import dev.graft.experiment.ExperimentRunner;
import dev.graft.experiment.Prepared;
import dev.graft.experiment.RunRecord;
import dev.graft.metrics.MetricName;
import java.util.List;
import java.util.Optional;

/**
 * A policy search as one strategy of {@code graft compare}: for each shot count and seed it
 * estimates {@code trials} policies on the labelled images, chooses among them and the hand
 * strategies as {@code graft search} does ({@link PolicyChoice}), refits the choice on every
 * labelled image and measures it once on the test set. Its time is the whole search's, since that is what the strategy costs.
 */
public final class SearchStrategy implements ComparedStrategy {
    /** The sampler names a strategy may use as its base. */
    public static final List<String> SAMPLERS = List.of("genetic", "annealing", "tpe", "reinforce", "nsga2", "random", "grid");

    private final String name;
    private final SearchSettings base;
    private final dev.graft.experiment.FeatureHead head;

    private SearchStrategy(String name, SearchSettings base, dev.graft.experiment.FeatureHead head) {
        this.name = name;
        this.base = base;
        this.head = head;
    }

    /**
     * The search strategy a spec names, if its base is a sampler; or an ensemble of a search's best
     * policies ({@code base: ensemble} with {@code ensemble.search}).
     */
    public static Optional<ComparedStrategy> resolve(Prepared p, ExperimentConfig.StrategySpec spec, String where) {
        if ("ensemble".equals(spec.base()) && spec.ensemble() != null && spec.ensemble().search() != null) {
            return Optional.of(ensemble(p, spec, where));
        }
        String kind = spec.base() != null ? spec.base() : spec.name();
        if (kind == null || !SAMPLERS.contains(kind)) {
            return Optional.empty();
        }
        dev.graft.experiment.ExperimentRunner.requireValidation(p, where + ": search strategy '" + kind + "'");
        SearchSettings settings = settings(p, kind, spec.trials() != null ? spec.trials() : 8, spec.contrastive(),
                where);
        // with head (or contrastive) every trial, and the final choice, ends in that classical head
        return Optional.of(new SearchStrategy(spec.name() == null ? kind : spec.name(), settings,
                SearchHead.ofStrategy(p, spec.head(), spec.contrastive(), settings, where)));
    }

    /** An ensemble of the {@code top} best distinct policies of a search on the same shots and seed. */
    private static ComparedStrategy ensemble(Prepared p, ExperimentConfig.StrategySpec spec, String where) {
        ExperimentConfig.EnsembleSection e = spec.ensemble();
        if (!SAMPLERS.contains(e.search())) {
            throw new dev.graft.GraftInputException(where + ".ensemble.search: unknown sampler '" + e.search() + "' ("
                    + String.join(", ", SAMPLERS) + ")");
        }
        int top = e.top() == null ? 3 : e.top();
        if (top < 2) {
            throw new dev.graft.GraftInputException(where + ".ensemble.top: must be 2 or more");
        }
        SearchStrategy search = new SearchStrategy(e.search(), settings(p, e.search(), e.trials() == null ? 8 : e.trials(),
                null, where + ".ensemble"), null);
        return new dev.graft.strategy.EnsembleStrategy(spec.name() == null ? "ensemble" : spec.name(),
                dev.graft.strategy.EnsembleStrategy.vote(e, where), (q, shots, seed) -> search.best(q, shots, seed, top),
                "the best " + top + " policies of " + e.search());
    }

    /** The search section a strategy runs by, with its own contrastive tuning (the epochs gene follows it). */
    private static SearchSettings settings(Prepared p, String kind, int trials,
            dev.graft.experiment.ContrastiveSection contrastive, String where) {
        ExperimentConfig c = p.config();
        ExperimentConfig.SearchSection s = c.search();
        ExperimentConfig.SearchSection own = new ExperimentConfig.SearchSection(kind,
                trials, null, null, s == null ? null : s.metric(), "none", null, null, null,
                s == null ? null : s.genes(), s == null ? null : s.genetic(), s == null ? null : s.annealing(),
                s == null ? null : s.tpe(), s == null ? null : s.cacheMb(), s == null ? null : s.reinforce(),
                s == null ? null : s.objectives(), s == null ? null : s.weights(), s == null ? null : s.fitness(),
                s == null ? null : s.selection(), s == null ? null : s.prior());
        ExperimentConfig withOwn = new ExperimentConfig(c.name(), c.data(), c.model(), c.source(), c.plan(), c.train(),
                c.strategies(), c.seeds(), c.shots(), c.output(), own, c.retention(), c.robustness(), c.export(),
                c.task(), null, contrastive);
        return SearchSettings.of(withOwn, where);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public RunRecord run(Prepared p, int shots, long seed, ExperimentRunner.Progress progress) {
        long start = System.nanoTime();
        Searched r = search(p, shots, seed);
        Trial best = r.trials().stream().filter(Trial::hasValue)
                .max(java.util.Comparator.comparingDouble(Trial::value)).orElse(r.trials().get(0));
        if (base.objectives().multiple() || r.trials().stream().noneMatch(Trial::hasValue)) {
            RunRecord run = r.objective().runWithTest(best.point());
            double seconds = (System.nanoTime() - start) / 1e9;
            return run.asSearch(name, ending() + "best of " + base.trials() + " trials: "
                    + r.space().decode(best.point()).summary(), seconds, r.trace());
        }
        // as graft search: the noise-aware choice among the trials and the hand strategies, refitted
        PolicyChoice choice = PolicyChoice.choose(p, r.space(), r.objective(), r.trials(), base.selection(), seed,
                progress::status);
        RunRecord run = choice.refit(p, r.objective(), seed);
        double seconds = (System.nanoTime() - start) / 1e9;
        return run.asSearch(name, ending() + "chosen of " + base.trials() + " trials and " + choice.handCount()
                + " hand strategies by " + r.objective().estimator().fitness().describe() + ", refitted on every "
                + "labelled image: " + choice.summary(), seconds, r.trace());
    }

    /** The classical head every candidate ends in, for the run's message ("" without one). */
    private String ending() {
        return head == null ? "" : "each ending in " + head.describe() + "; ";
    }

    /** The {@code k} best distinct policies a search on these shots and seed finds, best first. */
    java.util.List<dev.graft.experiment.Strategies.Resolved> best(Prepared p, int shots, long seed, int k) {
        Searched r = search(p, shots, seed);
        java.util.Set<String> seen = new java.util.HashSet<>();
        return r.trials().stream().filter(Trial::hasValue)
                .sorted(java.util.Comparator.comparingDouble(Trial::value).reversed())
                .filter(t -> seen.add(r.space().canonical(t.point()))).limit(k)
                .map(t -> r.objective().strategy(t.point())).toList();
    }

    private record Searched(java.util.List<Trial> trials, PolicySpace space, PolicyObjective objective,
            dev.graft.experiment.SearchTrace trace) {}

    /** The search itself, on the validation split; the test set is not touched. */
    private Searched search(Prepared p, int shots, long seed) {
        SearchSettings s = new SearchSettings(base.sampler(), base.trials(), shots, seed, base.metric(), "none",
                base.choices(), base.section(), base.objectives());
        PolicySpace space = new PolicySpace(p.layout(), s.choices());
        PolicyObjective objective = new PolicyObjective(p, space, shots, seed, s.metric(), s.newCache())
                .withObjectives(s.objectives()).withFitness(s.fitness()).withHead(head);
        Sampler sampler = s.newSampler();
        TraceRecorder trace = new TraceRecorder(sampler);
        TrialRequest.Template requests = new TrialRequest.Template("compare", TrialRequest.Experiment.of(p.file()),
                shots, seed);
        try (Study study = new Study(space.space(), sampler);
                TrialExecutor executor = new LocalExecutor(requests, objective)) {
            objective.estimator().requireFoldsFit();
            CutPrior.seed(study, p, space, objective, s, msg -> { });
            // the same loop as graft search: memo, budget, time limit
            StudyDriver.drive(study, space, executor, requests, null, s.trials(), s.timeoutSeconds(), trace,
                    (t, summary, best, finished, total, eta) -> { }, System.nanoTime());
            return new Searched(study.trials(), space, objective, trace.trace(s.sampler(), s.valueName()));
        }
    }

    /** For tests and reports: the metric searched. */
    MetricName metric() {
        return base.metric();
    }
}
