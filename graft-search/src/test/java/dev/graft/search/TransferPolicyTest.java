package dev.graft.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.checkpoint.SafetensorsFile;
import dev.graft.experiment.ExperimentConfig;
import dev.graft.experiment.ExperimentLoader;
import dev.graft.experiment.ExperimentRunner;
import dev.graft.experiment.Prepared;
import dev.graft.experiment.RunRecord;
import dev.graft.model.ModelLayout;
import dev.graft.model.SpecParser;
import dev.graft.experiment.TrainSettings;
import dev.graft.train.OptimizerKind;
import dev.graft.transfer.Mode;
import dev.graft.transfer.TransferResult;
import dev.graft.transfer.Transferor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransferPolicyTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final ModelLayout CNN = ModelLayout.of(SpecParser.read(ROOT.resolve("examples/specs/small-cnn.yaml")));

    @Test
    void theSpaceHasThreeGenesPerLayerGroupAndTheHeadIsNew() {
        PolicySpace ps = new PolicySpace(CNN, PolicySpace.Choices.defaults());
        assertEquals(4 * 3 + 4, ps.space().rank());
        TransferPolicy p = ps.decode(new int[ps.space().rank()]);
        assertEquals(List.of("features.0", "features.4", "classifier.1", "classifier.4"), List.copyOf(p.layers().keySet()));
        assertEquals(TransferPolicy.Decision.SCRATCH, p.layers().get("classifier.4").decision());
        assertTrue(ps.space().dimensions().get(9).fixed(), "head decision fixed");
    }

    @Test
    void aPolicyExpandsIntoThePlanItDescribes() {
        Map<String, TransferPolicy.LayerChoice> layers = new LinkedHashMap<>();
        layers.put("features.0", new TransferPolicy.LayerChoice(TransferPolicy.Decision.FROZEN, 1, 1.0));
        layers.put("features.4", new TransferPolicy.LayerChoice(TransferPolicy.Decision.FROZEN, 0.3, 0.5));
        layers.put("classifier.1", new TransferPolicy.LayerChoice(TransferPolicy.Decision.FINETUNE, 3, 0.25));
        layers.put("classifier.4", new TransferPolicy.LayerChoice(TransferPolicy.Decision.SCRATCH, 1, 1.0));
        TransferPolicy policy = new TransferPolicy(layers, 1e-3, 0.01, OptimizerKind.ADAM, 7);
        try (SafetensorsFile src = SafetensorsFile.open(ROOT.resolve("examples/checkpoints/fashion-source.safetensors"))) {
            TransferPolicy.Expanded e = policy.expand(CNN, src, TrainSettings.defaults(), 3);
            assertEquals(7, e.train().epochs());
            assertEquals(0.01, e.train().regularization().l2spAlpha());
            TransferResult r = Transferor.apply(src, CNN, e.plan(), false);
            assertTrue(r.modes().get("features.0.weight") instanceof Mode.Frozen);
            assertTrue(r.modes().get("features.1.running_mean") instanceof Mode.Frozen, "BatchNorm follows its conv");
            assertEquals(32, r.frozenUnits().get("features.4.weight").units().size(), "half of 64 kept and frozen");
            assertEquals(32, r.frozenUnits().get("features.5.weight").units().size());
            assertEquals(0.3, r.modes().get("features.4.weight").lrMultiplier());
            assertEquals(3.0, r.modes().get("classifier.1.bias").lrMultiplier());
            assertNull(r.frozenUnits().get("classifier.1.weight"), "fine-tuned units are not frozen");
            long transferred = r.report().rows().stream().filter(row -> row.target().equals("classifier.1.weight"))
                    .findFirst().orElseThrow().transferred();
            assertEquals(32 * 3136, transferred, "a quarter of 128 units");
            assertTrue(r.modes().get("classifier.4.weight") instanceof Mode.Reinit);
            assertTrue(policy.summary().startsWith("F F.50x0.3 T.25x3 S "), policy.summary());
        }
    }

    @Test
    void theObjectiveIsTheValidationMetricAndNeverTouchesTheTestSet() {
        ExperimentConfig c = ExperimentLoader.parse("search", SearchFixtures.experiment("search", 5, ""));
        Prepared p = ExperimentRunner.prepare(c, ROOT.resolve("x.yaml"), ExperimentRunner.Progress.NONE);
        PolicySpace space = new PolicySpace(p.layout(), new PolicySpace.Choices(List.of(1.0), List.of(0.5, 1.0),
                List.of(1e-3), List.of(0.0), List.of(OptimizerKind.ADAM), List.of(2), false));
        PolicyObjective objective = new PolicyObjective(p, space, 5, 0, dev.graft.metrics.MetricName.ACCURACY);
        try (Study study = new Study(space.space(), new RandomSampler(2))) {
            for (int i = 0; i < 3; i++) {
                Trial t = study.ask();
                RunRecord r = objective.run(t.point());
                assertNull(r.test(), "search never measures the test set");
                double v = PolicyObjective.fitness(r, dev.graft.metrics.MetricName.ACCURACY);
                assertTrue(v >= 0 && v <= 1, "validation accuracy " + v);
                study.tell(t, v);
            }
            assertEquals(3, study.finishedCount());
        }
    }

    @Test
    void genesThatCannotMatterDoNotChangeTheCanonicalPolicy() {
        PolicySpace ps = new PolicySpace(CNN, PolicySpace.Choices.defaults());
        int[] a = new int[ps.space().rank()];
        a[0] = 1; // features.0 frozen
        a[2] = 3; // ... wholly (fraction 1.0)
        a[3] = 0; // features.4 scratch
        a[6] = 2; // classifier.1 fine-tuned
        int[] b = a.clone();
        b[1] = 3; // the lr of the wholly frozen features.0
        b[3 + 2] = 1; // the fraction of the scratch features.4
        assertEquals(ps.canonical(a), ps.canonical(b));
        int[] c = a.clone();
        c[6 + 1] = 3; // the lr of the fine-tuned classifier.1 matters
        assertTrue(!ps.canonical(a).equals(ps.canonical(c)));
        int[] d = a.clone();
        d[2] = 1; // features.0 now only partly transferred: its lr matters again
        int[] e = d.clone();
        e[1] = 3;
        assertTrue(!ps.canonical(d).equals(ps.canonical(e)));
    }

    @Test
    void groupedLayersShareTheirGenes() {
        PolicySpace.Choices d = PolicySpace.Choices.defaults();
        PolicySpace ps = new PolicySpace(CNN, new PolicySpace.Choices(d.lrMultipliers(), d.fractions(), d.baseLrs(),
                d.l2sp(), d.optimizers(), d.epochs(), false, Map.of("trunk", List.of("features.0", "features.4"))));
        assertEquals(3 * 3 + 4, ps.space().rank());
        assertEquals("trunk.decision", ps.space().dimensions().get(0).name());
        int[] point = new int[ps.space().rank()];
        point[0] = 2;
        point[1] = 3;
        TransferPolicy p = ps.decode(point);
        assertEquals(List.of("features.0", "features.4", "classifier.1", "classifier.4"), List.copyOf(p.layers().keySet()));
        assertEquals(p.layers().get("features.0"), p.layers().get("features.4"));
        assertEquals(3.0, p.layers().get("features.4").lrMultiplier());
        org.junit.jupiter.api.Assertions.assertThrows(dev.graft.GraftInputException.class, () -> new PolicySpace(CNN,
                new PolicySpace.Choices(d.lrMultipliers(), d.fractions(), d.baseLrs(), d.l2sp(), d.optimizers(),
                        d.epochs(), false, Map.of("x", List.of("features.9")))));
    }
}
