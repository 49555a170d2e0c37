package dev.graft.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.graft.checkpoint.Dims;
import dev.graft.checkpoint.MemoryWeightStore;
import dev.graft.checkpoint.Tensor;
import dev.graft.data.Examples;
import dev.graft.engine.Engines;
import dev.graft.model.GraftModel;
import dev.graft.model.ModelLayout;
import dev.graft.model.family.BertConfig;
import dev.graft.model.family.BertFamily;
import dev.graft.transfer.Mode;
import dev.graft.transfer.PlanCodec;
import dev.graft.transfer.TransferResult;
import dev.graft.transfer.Transferor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A small bert model trains in the fine-tuning loop on token ids [L] as the text data side hands
 * them over (padded with 0): it learns which of two tokens a sequence holds, frozen tensors (and
 * frozen attention heads) stay bit for bit, and padding is ignored.
 */
class BertFineTuneTest {
    static final int LENGTH = 8;

    /** Class c: a sequence of 2..7 random tokens from 3..19 holding token 1 + c somewhere, padded with 0. */
    static Examples data(int n, long seed) {
        Random r = new Random(seed);
        float[] f = new float[n * LENGTH];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            int real = 2 + r.nextInt(LENGTH - 2);
            for (int t = 0; t < real; t++) {
                f[i * LENGTH + t] = 3 + r.nextInt(17);
            }
            f[i * LENGTH + r.nextInt(real)] = 1 + labels[i];
        }
        return new Examples(new Dims(LENGTH), f, labels, 2);
    }

    @Test
    void learnsWhichTokenASequenceHoldsWithFrozenEmbeddings() {
        BertConfig c = new BertConfig(16, 1, 2, 32, 20, 16, 2, 1e-12, 0.1, 0.1, 0);
        ModelLayout layout = ModelLayout.of(BertFamily.spec(c, 2, BertFamily.Pooling.MEAN, LENGTH, "small"));
        try (NDManager m = Engines.pytorch().newBaseManager(); GraftModel model = GraftModel.build(layout, m)) {
            Map<String, Tensor> before = model.stateDict();
            FineTuner.Policy policy = new FineTuner.Policy(Map.of("embeddings.word_embeddings.weight", new Mode.Frozen(),
                    "embeddings.position_embeddings.weight", new Mode.Frozen()), Map.of());
            TrainResult r = FineTuner.fit(model, policy, data(96, 1), data(32, 2),
                    TrainConfig.simple(OptimizerKind.ADAM, 1e-2, 10, 16), 5, TrainListener.NONE);
            assertEquals(TrainResult.Status.COMPLETED, r.status());
            assertTrue(r.history().get(r.history().size() - 1).trainLoss() < r.history().get(0).trainLoss());
            assertTrue(Evaluator.evaluate(model, data(100, 3), 32).accuracy() > 0.9,
                    "accuracy " + Evaluator.evaluate(model, data(100, 3), 32).accuracy());
            Map<String, Tensor> after = model.stateDict();
            assertTrue(before.get("embeddings.word_embeddings.weight").contentEquals(
                    after.get("embeddings.word_embeddings.weight")), "frozen");
            assertFalse(before.get("encoder.layer.0.attention.self.query.weight").contentEquals(
                    after.get("encoder.layer.0.attention.self.query.weight")), "trained");
        }
    }

    /**
     * Garbage collections during training change nothing: DJL's {@code x.div(2.0)} makes its
     * constant over a Java buffer that autograd kept for the backward pass after DJL had closed it,
     * so a collection between the forward and the backward pass freed it and the step's gradients
     * became garbage (NaN within a few steps here, before {@link dev.graft.engine.Scalars}). Same
     * seed and data twice, the second time with a thread forcing collections: the losses and the
     * weights must be bit for bit the same. L2 and L2-SP put the penalty's constants on the path too.
     */
    @Test
    void trainsBitForBitTheSameWhileTheGarbageCollectorRuns() throws Exception {
        BertConfig c = new BertConfig(16, 1, 2, 32, 20, 16, 2, 1e-12, 0.1, 0.1, 0);
        ModelLayout layout = ModelLayout.of(BertFamily.spec(c, 2, BertFamily.Pooling.MEAN, LENGTH, "small"));
        Map<String, Tensor> start = Transferor.apply(new MemoryWeightStore(null, Map.of(), Map.of()), layout,
                PlanCodec.parse("init", "seed: 3"), true).tensors();
        TrainConfig cfg = TrainConfig.simple(OptimizerKind.ADAMW, 1e-2, 3, 16)
                .withRegularization(new Regularization(0, 1e-3, 1e-3, 0));
        double[][] losses = new double[2][];
        List<Map<String, Tensor>> weights = new java.util.ArrayList<>();
        for (int run = 0; run < 2; run++) {
            Thread gc = null;
            if (run == 1) {
                gc = new Thread(() -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        System.gc();
                        try {
                            Thread.sleep(1);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                gc.setDaemon(true);
                gc.start();
            }
            try (NDManager m = Engines.pytorch().newBaseManager(); GraftModel model = GraftModel.build(layout, m)) {
                model.load(start);
                TrainResult r = FineTuner.fit(model, FineTuner.Policy.allTrainable(), data(96, 1), null, cfg, 5,
                        TrainListener.NONE);
                assertEquals(TrainResult.Status.COMPLETED, r.status(), r.message());
                losses[run] = r.history().stream().mapToDouble(TrainResult.EpochRecord::trainLoss).toArray();
                weights.add(model.stateDict());
            } finally {
                if (gc != null) {
                    gc.interrupt();
                    gc.join();
                }
            }
        }
        assertArrayEquals(losses[0], losses[1], 0, "losses per epoch, without and with collections");
        for (String name : weights.get(0).keySet()) {
            assertTrue(weights.get(0).get(name).contentEquals(weights.get(1).get(name)), name);
        }
    }

    /**
     * A plan that freezes head 2 of 4 (head size 4): after training its rows of query, key and value
     * (weight and bias) and its 4 columns of the output projection are bit for bit what they were,
     * while every other head's moved.
     */
    @Test
    void aFrozenHeadKeepsItsRowsAndOutputColumnsWhileTheOthersTrain() {
        BertConfig c = new BertConfig(16, 1, 4, 32, 20, 16, 2, 1e-12, 0.1, 0.1, 0);
        ModelLayout layout = ModelLayout.of(BertFamily.spec(c, 2, BertFamily.Pooling.MEAN, LENGTH, "small"));
        String self = "encoder.layer.0.attention.self";
        String out = "encoder.layer.0.attention.output.dense.weight";
        Map<String, Tensor> source = Transferor.apply(new MemoryWeightStore(null, Map.of(), Map.of()), layout,
                PlanCodec.parse("init", "seed: 3"), true).tensors();
        TransferResult tr = Transferor.apply(new MemoryWeightStore(null, source, Map.of()), layout,
                PlanCodec.parse("plan", "rules: [{heads: " + self + ", units: {action: freeze, indices: [2]}}]"), false);
        try (NDManager m = Engines.pytorch().newBaseManager(); GraftModel model = GraftModel.build(layout, m)) {
            model.load(tr.tensors());
            FineTuner.fit(model, new FineTuner.Policy(tr.modes(), tr.frozenUnits()), data(32, 1), null,
                    TrainConfig.simple(OptimizerKind.ADAM, 1e-2, 1, 16), 5, TrainListener.NONE);
            Map<String, Tensor> after = model.stateDict();
            for (String name : List.of("query.weight", "key.weight", "value.weight", "query.bias", "key.bias",
                    "value.bias")) {
                float[] a = source.get(self + "." + name).toFloats();
                float[] b = after.get(self + "." + name).toFloats();
                int rowSize = a.length / 16;
                for (int h = 0; h < 4; h++) {
                    float[] x = Arrays.copyOfRange(a, h * 4 * rowSize, (h + 1) * 4 * rowSize);
                    float[] y = Arrays.copyOfRange(b, h * 4 * rowSize, (h + 1) * 4 * rowSize);
                    if (h == 2) {
                        assertArrayEquals(x, y, 0f, name + " of the frozen head");
                    } else if (!name.equals("key.bias")) {
                        // (the key's bias adds the same q·b to every key's score: softmax ignores it, its gradient is 0)
                        assertFalse(Arrays.equals(x, y), name + " of head " + h + " trains");
                    }
                }
            }
            float[] a = source.get(out).toFloats();
            float[] b = after.get(out).toFloats();
            for (int h = 0; h < 4; h++) {
                boolean same = true;
                for (int row = 0; row < 16; row++) {
                    for (int col = h * 4; col < h * 4 + 4; col++) {
                        same &= a[row * 16 + col] == b[row * 16 + col];
                    }
                }
                assertEquals(h == 2, same, "output columns of head " + h);
            }
        }
    }
}
