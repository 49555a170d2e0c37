package dev.graft.search;

import ai.djl.ndarray.NDManager;
import dev.graft.checkpoint.Tensor;
import dev.graft.data.Examples;
import dev.graft.engine.Engines;
import dev.graft.experiment.ExperimentRunner;
import dev.graft.experiment.Prepared;
import dev.graft.experiment.RunRecord;
import dev.graft.experiment.Strategies;
import dev.graft.model.GraftModel;
import dev.graft.model.ModelLayout;
import dev.graft.model.ModelSplit;
import dev.graft.model.ParamInfo;
import dev.graft.train.Evaluator;
import dev.graft.train.FineTuner;
import dev.graft.train.TrainResult;
import dev.graft.transfer.Mode;
import dev.graft.transfer.TransferResult;
import dev.graft.transfer.Transferor;
import dev.graft.transfer.UnitMask;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Fine-tunes only the suffix of a model whose frozen prefix's activations are cached. */
final class PrefixRuns {
    private PrefixRuns() {}

    /**
     * The run, or empty when the policy freezes no cuttable prefix: the leading layer groups frozen
     * whole, then a cut just before the next group (its unit layer, or its block such as a BERT
     * encoder layer) that falls between leaf layers, with a prefix whose tensors are all frozen
     * whole and that applies no dropout.
     */
    static Optional<RunRecord> run(Prepared p, TransferPolicy policy, Strategies.Resolved s, int shots, long seed,
            PrefixFeatureCache cache, ExperimentRunner.Progress progress) {
        List<String> groups = List.copyOf(policy.layers().keySet());
        int depth = 0;
        while (depth < groups.size()) {
            TransferPolicy.LayerChoice c = policy.layers().get(groups.get(depth));
            if (c.decision() != TransferPolicy.Decision.FROZEN || c.fraction() < 1) {
                break;
            }
            depth++;
        }
        if (depth == 0 || depth == groups.size()) {
            return Optional.empty();
        }
        // the model as this run trains it: train.dropout applies to the prefix's check and the suffix
        ModelLayout full = ExperimentRunner.layoutFor(p, s.train());
        Optional<ModelSplit> split = ModelSplit.before(full.spec(), groups.get(depth));
        if (split.isEmpty()) {
            return Optional.empty();
        }
        long start = System.nanoTime();
        TransferResult tr = Transferor.apply(p.source(), full,
                dev.graft.experiment.ExperimentRunner.planFor(p, full, s.plan()), false);
        ModelLayout prefix = ModelLayout.of(split.get().prefix());
        if (!frozenWhole(prefix, tr)) {
            return Optional.empty();
        }
        ModelLayout suffix = ModelLayout.of(split.get().suffix());
        PrefixFeatureCache.Features f = cache.get("frozen " + depth + " / shots " + shots + " / seed " + seed,
                () -> features(p, prefix, tr, shots, seed));
        try (NDManager m = Engines.pytorch().newBaseManager(); GraftModel model = GraftModel.build(suffix, m)) {
            model.load(suffix.tensorsOf(tr.tensors()));
            Map<String, Mode> modes = new LinkedHashMap<>();
            Map<String, UnitMask> frozen = new LinkedHashMap<>();
            for (ParamInfo q : suffix.params()) {
                modes.put(q.name(), tr.modes().get(q.name()));
                if (tr.frozenUnits().containsKey(q.name())) {
                    frozen.put(q.name(), tr.frozenUnits().get(q.name()));
                }
            }
            TrainResult r = FineTuner.fit(model, new FineTuner.Policy(modes, frozen), f.train(), f.validation(),
                    s.train(), seed, progress.asTrainListener());
            return Optional.of(new RunRecord(s.name(), shots, seed, r.status(), r.message() + " (prefix of " + depth
                    + " frozen layer groups cached)", null, r.history().size(), r.bestEpoch(), r.seconds(),
                    (System.nanoTime() - start) / 1e9, r.history(),
                    dev.graft.experiment.LayerDecision.of(p.layout(), tr, s.train()), null, null));
        }
    }

    /**
     * Whether every tensor of the prefix is frozen whole. The policy decides every tensor of its
     * groups, but the transfer that composes it with the experiment's plan has the last word (a
     * plan rule may re-initialize a tensor, so that it trains); computing the prefix once would
     * silently freeze such a tensor.
     */
    static boolean frozenWhole(ModelLayout prefix, TransferResult tr) {
        return prefix.params().stream().allMatch(q -> tr.modes().get(q.name()) instanceof Mode.Frozen
                && !tr.frozenUnits().containsKey(q.name()));
    }

    private static PrefixFeatureCache.Features features(Prepared p, ModelLayout prefix, TransferResult tr, int shots,
            long seed) {
        ExperimentRunner.Splits splits = ExperimentRunner.splits(p, shots, seed);
        try (NDManager m = Engines.pytorch().newBaseManager(); GraftModel model = GraftModel.build(prefix, m)) {
            model.load(prefix.tensorsOf(tr.tensors()));
            return new PrefixFeatureCache.Features(Evaluator.activations(model, splits.train()),
                    splits.validation() == null ? null : Evaluator.activations(model, splits.validation()));
        }
    }


}
