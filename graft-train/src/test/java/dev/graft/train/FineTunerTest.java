package dev.graft.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.graft.checkpoint.Dims;
import dev.graft.checkpoint.Tensor;
import dev.graft.data.Examples;
import dev.graft.engine.Engines;
import dev.graft.metrics.MetricName;
import dev.graft.model.GraftModel;
import dev.graft.model.ModelLayout;
import dev.graft.model.SpecParser;
import dev.graft.transfer.Mode;
import dev.graft.transfer.UnitMask;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FineTunerTest {
    static final String MLP = """
            input: [8]
            layers:
              - {name: fc1, type: linear, out: 16}
              - {name: bn, type: batchnorm1d}
              - {name: act, type: relu}
              - {name: fc2, type: linear, out: 16}
              - {name: bn2, type: batchnorm1d}
              - {name: act2, type: relu}
              - {name: head, type: linear, out: 3}
            """;

    /** Three Gaussian blobs in 8 dimensions, well separated. */
    static Examples blobs(int perClass, long seed) {
        Random r = new Random(seed);
        float[] f = new float[3 * perClass * 8];
        int[] l = new int[3 * perClass];
        for (int i = 0; i < l.length; i++) {
            l[i] = i % 3;
            for (int k = 0; k < 8; k++) {
                f[i * 8 + k] = (float) (r.nextGaussian() * 0.5 + (k % 3 == l[i] ? 2 : 0));
            }
        }
        return new Examples(new Dims(8), f, l, 3);
    }

    static GraftModel model(NDManager m) {
        ModelLayout layout = ModelLayout.of(SpecParser.parse("mlp", MLP));
        return GraftModel.build(layout, m);
    }

    @Test
    void learnsASeparableProblem() {
        try (NDManager m = Engines.pytorch().newBaseManager(); GraftModel model = model(m)) {
            TrainResult r = FineTuner.fit(model, FineTuner.Policy.allTrainable(), blobs(40, 1), blobs(20, 2),
                    TrainConfig.simple(OptimizerKind.ADAM, 0.01, 15, 16), 7, TrainListener.NONE);
            assertEquals(TrainResult.Status.COMPLETED, r.status());
            assertEquals(15, r.history().size());
            assertTrue(Evaluator.evaluate(model, blobs(50, 3), 64).accuracy() > 0.95);
            assertTrue(r.history().get(14).trainLoss() < r.history().get(0).trainLoss());
        }
    }

    @Test
    void frozenTensorsMaskedUnitsAndFrozenStatisticsStayBitForBit() {
        try (NDManager m = Engines.pytorch().newBaseManager(); GraftModel model = model(m)) {
            Map<String, Tensor> before = model.stateDict();
            FineTuner.Policy policy = new FineTuner.Policy(
                    Map.of("fc1.weight", new Mode.Frozen(), "fc1.bias", new Mode.Frozen(), "bn.weight", new Mode.Frozen(),
                            "bn.bias", new Mode.Frozen()),
                    Map.of("fc2.weight", new UnitMask(List.of(0, 3, 5), UnitMask.Action.FREEZE)));
            FineTuner.fit(model, policy, blobs(30, 1), null, TrainConfig.simple(OptimizerKind.SGD, 0.1, 3, 10), 1,
                    TrainListener.NONE);
            Map<String, Tensor> after = model.stateDict();
            for (String n : List.of("fc1.weight", "fc1.bias", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var")) {
                assertTrue(before.get(n).contentEquals(after.get(n)), n + " is frozen");
            }
            assertArrayEquals(before.get("bn.num_batches_tracked").toFloats(), after.get("bn.num_batches_tracked").toFloats());
            assertEquals(27f, after.get("bn2.num_batches_tracked").toFloats()[0], "3 epochs of 9 steps");
            assertTrue(!before.get("bn2.running_mean").contentEquals(after.get("bn2.running_mean")));
            float[] w0 = before.get("fc2.weight").toFloats();
            float[] w1 = after.get("fc2.weight").toFloats();
            for (int row = 0; row < 16; row++) {
                boolean frozen = row == 0 || row == 3 || row == 5;
                float[] a = java.util.Arrays.copyOfRange(w0, row * 16, row * 16 + 16);
                float[] b = java.util.Arrays.copyOfRange(w1, row * 16, row * 16 + 16);
                if (frozen) {
                    assertArrayEquals(a, b, 0f, "row " + row);
                } else {
                    assertTrue(!java.util.Arrays.equals(a, b), "row " + row + " trains");
                }
            }
        }
    }

    @Test
    void aDivergingRunEndsWithStatusAndMessage() {
        try (NDManager m = Engines.pytorch().newBaseManager(); GraftModel model = model(m)) {
            Examples data = blobs(30, 1);
            float[] f = data.features().clone();
            for (int i = 0; i < f.length; i++) {
                f[i] *= 1e18f;
            }
            TrainResult r = FineTuner.fit(model, FineTuner.Policy.allTrainable(),
                    new Examples(data.sampleShape(), f, data.labels(), 3), null,
                    TrainConfig.simple(OptimizerKind.SGD, 1e10, 5, 10), 1, TrainListener.NONE);
            assertEquals(TrainResult.Status.DIVERGED, r.status());
            assertTrue(r.message().contains("lower the learning rate"), r.message());
        }
    }

    @Test
    void aNonFiniteInputIsBlamedNotTheLearningRate() {
        try (NDManager m = Engines.pytorch().newBaseManager(); GraftModel model = model(m)) {
            Examples data = blobs(30, 1);
            float[] f = data.features().clone();
            f[3 * data.sampleSize() + 2] = Float.NaN;
            TrainResult r = FineTuner.fit(model, FineTuner.Policy.allTrainable(),
                    new Examples(data.sampleShape(), f, data.labels(), 3), null,
                    TrainConfig.simple(OptimizerKind.SGD, 0.01, 5, 1000), 1, TrainListener.NONE);
            assertEquals(TrainResult.Status.DIVERGED, r.status());
            assertTrue(r.message().endsWith("training sample 3 holds NaN; fix the data"), r.message());
        }
    }

    @Test
    void earlyStoppingRestoresTheBestWeights() {
        try (NDManager m = Engines.pytorch().newBaseManager(); GraftModel model = model(m)) {
            TrainConfig base = TrainConfig.simple(OptimizerKind.ADAM, 0.05, 40, 8);
            TrainConfig cfg = new TrainConfig(base.optimizer(), 40, 8, base.schedule(), 1, 0, Regularization.NONE, false,
                    0, Imbalance.NONE, AugmentConfig.NONE, new EarlyStopping(MetricName.LOSS, 3, true), Double.NaN, HeadFit.AUTO);
            Examples val = blobs(10, 9);
            TrainResult r = FineTuner.fit(model, FineTuner.Policy.allTrainable(), blobs(6, 1), val, cfg, 3,
                    TrainListener.NONE);
            double best = r.history().stream().mapToDouble(TrainResult.EpochRecord::validation).min().orElseThrow();
            assertEquals(best, r.history().get(r.bestEpoch()).validation());
            assertEquals(best, Evaluator.evaluate(model, val, 64).loss(), 1e-5);
            if (r.status() == TrainResult.Status.EARLY_STOPPED) {
                assertNotEquals(r.history().size() - 1, r.bestEpoch());
            }
        }
    }

    @Test
    void layerGroupsFollowUnitLayers() {
        Map<String, Integer> g = FineTuner.layerGroups(ModelLayout.of(SpecParser.parse("mlp", MLP)));
        assertEquals(0, g.get("fc1.weight"));
        assertEquals(0, g.get("bn.running_var"));
        assertEquals(1, g.get("fc2.bias"));
        assertEquals(2, g.get("head.weight"));
    }

    @Test
    void penaltiesByHand() {
        try (NDManager m = Engines.pytorch().newBaseManager(); GraftModel model = model(m)) {
            TrainableParam transferred = new TrainableParam("a", m.create(new float[] {1, 2}), 1, null, true);
            TrainableParam fresh = new TrainableParam("b", m.create(new float[] {3}), 1, null, true);
            TrainableParam bias = new TrainableParam("c", m.create(new float[] {100}), 1, null, false);
            Map<String, ai.djl.ndarray.NDArray> start = Map.of("a", m.create(new float[] {0.5f, 1}));
            List<TrainableParam> ps = List.of(transferred, fresh, bias);
            FineTuner.Policy policy = FineTuner.Policy.allTrainable();
            // L2-SP: 0.2/2 * (0.5² + 1²) on the transferred tensor + 0.4/2 * 3² on the new one
            assertEquals(0.125 + 1.8, FineTuner.penalty(model, new Regularization(0, 0, 0.2, 0.4), ps, start, policy)
                    .getFloat(), 1e-6);
            // L1: 0.1 * (1 + 2 + 3); L2: 0.5/2 * (1 + 4 + 9); biases are not penalized
            assertEquals(0.6, FineTuner.penalty(model, new Regularization(0.1, 0, 0, 0), ps, Map.of(), policy)
                    .getFloat(), 1e-6);
            assertEquals(3.5, FineTuner.penalty(model, new Regularization(0, 0.5, 0, 0), ps, Map.of(), policy)
                    .getFloat(), 1e-6);
        }
    }

    @Test
    void stratifiedFoldsPartitionEveryClassEvenly() {
        Examples data = blobs(10, 4);
        List<int[]> folds = data.stratifiedFolds(5, 1);
        java.util.Set<Integer> all = new java.util.HashSet<>();
        for (int[] f : folds) {
            assertEquals(6, f.length);
            int[] counts = new int[3];
            for (int i : f) {
                counts[data.labels()[i]]++;
                assertTrue(all.add(i), "disjoint");
            }
            assertArrayEquals(new int[] {2, 2, 2}, counts);
        }
        assertEquals(30, all.size());
    }

    @Test
    void everyImbalanceRemedyTrainsOnASkewedSet() {
        Examples skewed = blobs(40, 1).capPerClass(new int[] {40, 4, 4});
        for (Imbalance remedy : Imbalance.values()) {
            try (NDManager m = Engines.pytorch().newBaseManager(); GraftModel model = model(m)) {
                TrainConfig base = TrainConfig.simple(OptimizerKind.ADAM, 0.01, 15, 16);
                TrainConfig cfg = new TrainConfig(base.optimizer(), 15, 16, base.schedule(), 1, 0, Regularization.NONE,
                        false, 0.1, remedy, AugmentConfig.NONE, EarlyStopping.OFF, Double.NaN, HeadFit.AUTO);
                TrainResult r = FineTuner.fit(model, FineTuner.Policy.allTrainable(), skewed, null, cfg, 5,
                        TrainListener.NONE);
                assertEquals(TrainResult.Status.COMPLETED, r.status(), remedy.toString());
                var metrics = Evaluator.evaluate(model, blobs(30, 8), 64);
                assertTrue(metrics.macroF1() > 0.8, remedy + ": macro-F1 " + metrics.macroF1());
            }
        }
    }

    @Test
    void dropoutOverrideRewritesEveryDropoutLayer() {
        ModelLayout l = ModelLayout.of(SpecParser.parse("d", """
                input: [4]
                layers:
                  - {type: linear, out: 4}
                  - {type: dropout, p: 0.1}
                  - {type: residual, body: [{type: dropout, p: 0.2}, {type: linear, out: 4}]}
                """));
        var spec = l.spec().withDropout(0.6);
        var top = (dev.graft.model.DropoutLayer) spec.root().layers().get(1);
        var inner = (dev.graft.model.DropoutLayer) ((dev.graft.model.ResidualLayer) spec.root().layers().get(2))
                .body().layers().get(0);
        assertEquals(0.6, top.p());
        assertEquals(0.6, inner.p());
        assertEquals(l.params(), ModelLayout.of(spec).params(), "names and shapes unchanged");
    }

    @Test
    void aSeededRunRepeatsBitForBitDropoutAndAugmentationIncluded() {
        String withDropout = MLP.replace("- {name: act2, type: relu}", "- {name: act2, type: relu}\n  - {name: drop, type: dropout, p: 0.5}");
        ModelLayout layout = ModelLayout.of(SpecParser.parse("mlp", withDropout));
        assertEquals(8, layout.spec().root().layers().size(), "the dropout layer is in");
        Map<String, Tensor> first = null;
        for (int run = 0; run < 2; run++) {
            try (NDManager m = Engines.pytorch().newBaseManager(); GraftModel model = GraftModel.build(layout, m)) {
                model.load(initial(layout));
                TrainConfig base = TrainConfig.simple(OptimizerKind.ADAM, 0.01, 3, 8);
                TrainConfig cfg = new TrainConfig(base.optimizer(), 3, 8, base.schedule(), 1, 0, Regularization.NONE,
                        false, 0, Imbalance.SMOTE, AugmentConfig.NONE, EarlyStopping.OFF, Double.NaN, HeadFit.AUTO);
                FineTuner.fit(model, FineTuner.Policy.allTrainable(), blobs(10, 1).capPerClass(new int[] {10, 3, 10}),
                        null, cfg, 42, TrainListener.NONE);
                Map<String, Tensor> after = model.stateDict();
                if (first == null) {
                    first = after;
                } else {
                    for (String n : first.keySet()) {
                        assertTrue(first.get(n).contentEquals(after.get(n)), n);
                    }
                }
            }
        }
    }

    private static Map<String, Tensor> initial(ModelLayout layout) {
        return dev.graft.transfer.Transferor.apply(new dev.graft.checkpoint.MemoryWeightStore(null, Map.of(), Map.of()),
                layout, new dev.graft.transfer.TransferPlan(List.of(), false, 1), true).tensors();
    }
}
