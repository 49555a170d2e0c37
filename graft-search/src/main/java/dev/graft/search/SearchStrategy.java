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
 * searches {@code trials} policies on the validation split, then measures the best one once on
 * the test set. Its time is the whole search's, since that is what the strategy costs.
 */
public final class SearchStrategy implements ComparedStrategy {
    /** The sampler names a strategy may use as its base. */
    public static final List<String> SAMPLERS = List.of("genetic", "annealing", "tpe", "reinforce", "nsga2", "random", "grid");

    private final String name;
    private final SearchSettings base;

    private SearchStrategy(String name, SearchSettings base) {
        this.name = name;
        this.base = base;
    }

    /** The search strategy a spec names, if its base is a sampler. */
    public static Optional<ComparedStrategy> resolve(Prepared p, ExperimentConfig.StrategySpec spec, String where) {
        String kind = spec.base() != null ? spec.base() : spec.name();
        if (kind == null || !SAMPLERS.contains(kind)) {
            return Optional.empty();
        }
        ExperimentConfig c = p.config();
        ExperimentConfig.SearchSection s = c.search();
        ExperimentConfig.SearchSection own = new ExperimentConfig.SearchSection(kind,
                spec.trials() != null ? spec.trials() : 8, null, null, s == null ? null : s.metric(), "none",
                s == null ? null : s.genes(), s == null ? null : s.genetic(), s == null ? null : s.annealing(),
                s == null ? null : s.tpe(), s == null ? null : s.cacheMb(), s == null ? null : s.reinforce(),
                s == null ? null : s.objectives(), s == null ? null : s.weights());
        ExperimentConfig withOwn = new ExperimentConfig(c.name(), c.data(), c.model(), c.source(), c.plan(), c.train(),
                c.strategies(), c.seeds(), c.shots(), c.output(), own, c.retention());
        return Optional.of(new SearchStrategy(spec.name() == null ? kind : spec.name(),
                SearchSettings.of(withOwn, where)));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public RunRecord run(Prepared p, int shots, long seed, ExperimentRunner.Progress progress) {
        long start = System.nanoTime();
        SearchSettings s = new SearchSettings(base.sampler(), base.trials(), shots, seed, base.metric(), "none",
                base.choices(), base.section(), base.objectives());
        PolicySpace space = new PolicySpace(p.layout(), s.choices());
        PolicyObjective objective = new PolicyObjective(p, space, shots, seed, s.metric(), s.newCache())
                .withObjectives(s.objectives());
        java.util.Map<String, Trial> memo = new java.util.HashMap<>();
        Sampler sampler = s.newSampler();
        TraceRecorder trace = new TraceRecorder(sampler);
        try (Study study = new Study(space.space(), sampler)) {
            while (study.finishedCount() < s.trials()) {
                Trial t = study.ask();
                trace.proposed(t);
                String key = space.canonical(t.point());
                Trial cached = memo.get(key);
                Trial done;
                if (cached != null) {
                    done = study.tell(t, cached.value(), cached.objectives(), TrialState.COMPLETE, "cached");
                } else {
                    PolicyObjective.Scored scored = objective.score(t.point(), ExperimentRunner.Progress.NONE);
                    if (Double.isNaN(scored.value())) {
                        done = study.tell(t, Double.NaN, TrialState.FAILED, "diverged");
                    } else {
                        done = study.tell(t, scored.value(), scored.objectives(), TrialState.COMPLETE, "");
                        memo.put(key, done);
                    }
                }
                trace.finished(done, space.decode(done.point()).summary());
            }
            Trial best = study.best().orElse(study.trials().get(0));
            RunRecord r = objective.runWithTest(best.point());
            double seconds = (System.nanoTime() - start) / 1e9;
            return r.asSearch(name, "best of " + s.trials() + " trials: " + space.decode(best.point()).summary(),
                    seconds, trace.trace(s.sampler(), s.valueName()));
        }
    }

    /** For tests and reports: the metric searched. */
    MetricName metric() {
        return base.metric();
    }
}
