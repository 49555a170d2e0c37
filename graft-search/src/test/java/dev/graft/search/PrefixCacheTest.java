package dev.graft.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.experiment.ExperimentConfig;
import dev.graft.experiment.ExperimentLoader;
import dev.graft.experiment.ExperimentRunner;
import dev.graft.experiment.Prepared;
import dev.graft.experiment.RunRecord;
import dev.graft.metrics.MetricName;
import dev.graft.train.OptimizerKind;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A frozen prefix's cached activations give the same training as running the whole model. */
class PrefixCacheTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    static Prepared experiment() {
        ExperimentConfig c = ExperimentLoader.parse("cache", SearchFixtures.experiment("cache", 8, ""));
        return ExperimentRunner.prepare(c, ROOT.resolve("x.yaml"), ExperimentRunner.Progress.NONE);
    }

    @Test
    void cachedPrefixTrainsLikeTheWholeModelAndIsComputedOnce() {
        Prepared p = experiment();
        PolicySpace space = new PolicySpace(p.layout(), new PolicySpace.Choices(List.of(1.0, 0.3), List.of(1.0),
                List.of(1e-3), List.of(0.0), List.of(OptimizerKind.ADAM), List.of(4), false));
        int[] point = new int[space.space().rank()];
        point[0] = 1; // features.0 frozen whole
        point[3] = 1; // features.4 frozen whole
        point[6] = 2; // classifier.1 fine-tuned
        PrefixFeatureCache cache = new PrefixFeatureCache(64L << 20);
        PolicyObjective plain = new PolicyObjective(p, space, 10, 3, MetricName.ACCURACY);
        PolicyObjective cached = new PolicyObjective(p, space, 10, 3, MetricName.ACCURACY, cache);
        RunRecord a = plain.run(point);
        RunRecord b = cached.run(point);
        assertTrue(b.message().contains("prefix of 2 frozen layer groups cached"), b.message());
        assertEquals(a.history().size(), b.history().size());
        for (int e = 0; e < a.history().size(); e++) {
            assertEquals(a.history().get(e).trainLoss(), b.history().get(e).trainLoss(), 1e-3, "epoch " + e);
            assertEquals(a.history().get(e).validation(), b.history().get(e).validation(), 0.03, "epoch " + e);
        }
        int[] other = point.clone();
        other[7] = 1; // another LR for classifier.1: same frozen prefix
        cached.run(other);
        assertEquals(1, cache.misses());
        assertEquals(1, cache.hits());
        assertTrue(cache.usedBytes() > 0);
        int[] unfrozen = point.clone();
        unfrozen[0] = 2; // nothing frozen at the front: the whole model runs
        assertTrue(!cached.run(unfrozen).message().contains("cached"));
    }

    /**
     * A prefix is cached only when all its tensors are frozen: when some of them still train (here
     * BERT's embeddings and LayerNorms, as an experiment's plan could make them), computing the
     * prefix once would freeze them silently.
     */
    @Test
    void aPrefixWithTensorsOutsideTheFrozenGroupsIsNotCached() {
        var config = new dev.graft.model.family.BertConfig(8, 2, 2, 16, 30, 10, 2, 1e-12, 0, 0, 0);
        var spec = dev.graft.model.family.BertFamily.spec(config, 2, dev.graft.model.family.BertFamily.Pooling.MEAN,
                6, "bert");
        var prefix = dev.graft.model.ModelLayout.of(dev.graft.model.ModelSplit.before(spec, "encoder.layer.1")
                .orElseThrow().prefix());
        java.util.Map<String, dev.graft.transfer.Mode> modes = new java.util.LinkedHashMap<>();
        for (var q : prefix.params()) {
            boolean grouped = prefix.units().containsKey(q.layer());
            modes.put(q.name(), grouped ? new dev.graft.transfer.Mode.Frozen() : new dev.graft.transfer.Mode.FineTune(1));
        }
        var report = new dev.graft.transfer.TransferReport(List.of(), List.of());
        assertTrue(!PrefixRuns.frozenWhole(prefix, new dev.graft.transfer.TransferResult(java.util.Map.of(), report,
                modes, java.util.Map.of())), "embeddings and LayerNorms fine-tune");
        modes.replaceAll((k, v) -> new dev.graft.transfer.Mode.Frozen());
        assertTrue(PrefixRuns.frozenWhole(prefix, new dev.graft.transfer.TransferResult(java.util.Map.of(), report,
                modes, java.util.Map.of())));
    }

    @Test
    void theCacheKeepsToItsBudget() {
        PrefixFeatureCache cache = new PrefixFeatureCache(4000);
        dev.graft.data.Examples e = new dev.graft.data.Examples(new dev.graft.checkpoint.Dims(100), new float[500],
                new int[5], 1);
        cache.get("a", () -> new PrefixFeatureCache.Features(e, null));
        cache.get("b", () -> new PrefixFeatureCache.Features(e, null));
        cache.get("c", () -> new PrefixFeatureCache.Features(e, null));
        assertTrue(cache.usedBytes() <= 4000);
        cache.get("a", () -> new PrefixFeatureCache.Features(e, null));
        assertEquals(4, cache.misses(), "a was evicted");
    }
}
