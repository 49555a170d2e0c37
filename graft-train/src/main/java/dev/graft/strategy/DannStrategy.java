package dev.graft.strategy;

import dev.graft.GraftInputException;
import dev.graft.data.Examples;
import dev.graft.experiment.ComparedStrategy;
import dev.graft.experiment.ExperimentConfig;
import dev.graft.experiment.ExperimentRunner;
import dev.graft.experiment.Prepared;
import dev.graft.experiment.RunRecord;
import dev.graft.experiment.Strategies;
import dev.graft.experiment.TaskData;
import dev.graft.model.ParamInfo;
import dev.graft.model.ParamRole;
import java.util.List;
import java.util.Optional;

/**
 * DANN as a strategy of {@code graft compare} ({@code base: dann}): the {@code then} fine-tune
 * (full by default) of the experiment's labelled shots, with the domain-adversarial term pulling
 * the chosen layer's features of the labelled images and of the unlabelled target-domain images
 * together. Beside the same fine-tune without it (source-only), on a test set from the target
 * domain, it measures what adaptation buys.
 */
public final class DannStrategy implements ComparedStrategy {
    private final String name;
    private final Examples target;
    private final String layer;
    private final int hidden;
    private final Strategies.Resolved then;

    private DannStrategy(String name, Examples target, String layer, int hidden, Strategies.Resolved then) {
        this.name = name;
        this.target = target;
        this.layer = layer;
        this.hidden = hidden;
        this.then = then;
    }

    /**
     * The DANN strategy a spec names, if its base is {@code dann}.
     *
     * @throws GraftInputException if it names no target domain, or a layer the model lacks
     */
    public static Optional<ComparedStrategy> resolve(Prepared p, ExperimentConfig.StrategySpec spec, String where) {
        if (!"dann".equals(spec.base()) && !"dann".equals(spec.name())) {
            return Optional.empty();
        }
        ExperimentConfig.DannSection d = spec.dann();
        if (d == null || d.target() == null) {
            throw new GraftInputException(where + ".dann.target: name the target domain's images");
        }
        // by default the features the trunk hands to the classifier: the input of the first linear layer
        String layer = d.layer() != null ? d.layer() : p.layout().params().stream()
                .filter(q -> q.layerType().equals("linear") && q.role() == ParamRole.WEIGHT)
                .findFirst().map(ParamInfo::layer)
                .orElseThrow(() -> new GraftInputException(where + ".dann.layer: the model has no linear layer"));
        if (p.layout().params().stream().noneMatch(q -> q.layer().equals(layer))) {
            throw new GraftInputException(where + ".dann.layer: the model has no layer '" + layer + "'");
        }
        int hidden = d.hidden() == null ? 64 : d.hidden();
        if (hidden < 1) {
            throw new GraftInputException(where + ".dann.hidden: must be positive");
        }
        Strategies.Resolved then = Strategies.resolve(ExperimentConfig.StrategySpec.named(
                d.then() == null ? "full" : d.then()), p.layout(), p.train(), p.dir(), 0, where + ".dann.then");
        dev.graft.experiment.HeadBases.requireOwnHead(then, where + ".dann.then",
                "the domain classifier trains with the network's own head by gradient (use a fine-tuning strategy)");
        Examples target = TaskData.load(d.target(), p.dir(), where + ".dann.target").pool();
        ExperimentRunner.requireInputShape(where + ".dann.target", target, p.layout());
        return Optional.of(new DannStrategy(spec.name() == null ? "dann" : spec.name(), target, layer, hidden, then));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public RunRecord run(Prepared p, int shots, long seed, ExperimentRunner.Progress progress) {
        Strategies.Resolved seeded = then.seeded(seed).named(name);
        int train = ExperimentRunner.splits(p, shots, seed).train().size();
        int steps = then.train().epochs() * ((train + then.train().batchSize() - 1) / then.train().batchSize());
        DomainAdversarial term = new DomainAdversarial(layer, target, hidden, steps, then.train().batchSize(), seed);
        return ExperimentRunner.run(p, seeded, shots, seed, progress, null, true, List.of(term));
    }
}
