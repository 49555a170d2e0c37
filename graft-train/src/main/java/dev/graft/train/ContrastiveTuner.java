package dev.graft.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.graft.data.Examples;
import dev.graft.engine.Scalars;
import dev.graft.model.GraftModel;
import dev.graft.model.ModelLayout;
import dev.graft.model.ParamInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Contrastive fine-tuning of an encoder on pairs of labelled samples, the first stage of SetFit
 * (Tunstall et al. 2022, "Efficient Few-Shot Learning Without Prompts"): pairs of the same class
 * are pulled to cosine similarity 1 and pairs of different classes to 0, by the mean squared
 * difference between the embeddings' cosine and that target (sentence-transformers'
 * {@code CosineSimilarityLoss}). Pairs are drawn as SetFit draws them: in each of
 * {@code iterations} rounds, every sample gets one partner of its class (another sample when its
 * class has one) and one of another class. The encoder's tensors train as a {@link FineTuner.Policy}
 * says (frozen, at a learning-rate multiplier, with units held; every one at the base rate by
 * default), with the training configuration's optimizer, learning rate, schedule, layer-wise decay,
 * gradual unfreezing, batch size (in pairs) and regularization (L1, L2, L2-SP), as {@link FineTuner}
 * applies them.
 *
 * <p>Runs one gradient collector at a time, like {@link FineTuner}: one tuning per JVM at once.
 */
public final class ContrastiveTuner {
    private ContrastiveTuner() {}

    /**
     * A pair of samples and its target cosine.
     *
     * @param a the first sample's index
     * @param b the second's
     * @param target 1 for the same class, 0 for different classes
     */
    public record Pairing(int a, int b, float target) {}

    /**
     * SetFit's pairs, shuffled: {@code iterations} rounds of, for every sample, one positive and
     * (when another class has samples) one negative partner.
     */
    public static List<Pairing> pairs(int[] labels, int iterations, SplittableRandom rnd) {
        int classes = java.util.Arrays.stream(labels).max().orElse(-1) + 1;
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            byClass.get(labels[i]).add(i);
        }
        List<Pairing> out = new ArrayList<>();
        for (int it = 0; it < iterations; it++) {
            for (int i = 0; i < labels.length; i++) {
                List<Integer> same = byClass.get(labels[i]);
                int j = i;
                if (same.size() > 1) {
                    // another sample of the class: a pair of a sample with itself teaches nothing
                    j = same.get(rnd.nextInt(same.size() - 1));
                    if (j == i) {
                        j = same.get(same.size() - 1);
                    }
                }
                out.add(new Pairing(i, j, 1f));
                int others = labels.length - same.size();
                if (others > 0) {
                    int pick = rnd.nextInt(others);
                    for (int c = 0; c < classes; c++) {
                        if (c == labels[i]) {
                            continue;
                        }
                        if (pick < byClass.get(c).size()) {
                            out.add(new Pairing(i, byClass.get(c).get(pick), 0f));
                            break;
                        }
                        pick -= byClass.get(c).size();
                    }
                }
            }
        }
        for (int i = out.size() - 1; i > 0; i--) {
            java.util.Collections.swap(out, i, rnd.nextInt(i + 1));
        }
        return out;
    }

    /**
     * The loss of a batch of pairs: mean over pairs of {@code (cos(u_i, v_i) − t_i)²}.
     *
     * @param u the first embeddings, {@code [B, D]}
     * @param v the second, {@code [B, D]}
     * @param target {@code [B]}, the target cosines
     * @return a scalar array
     */
    public static NDArray loss(NDArray u, NDArray v, NDArray target) {
        int[] last = {1};
        NDArray dot = u.mul(v).sum(last);
        // a zero embedding has no direction: its norm is floored so the cosine is 0, not NaN
        NDArray norms = u.square().sum(last).sqrt().mul(v.square().sum(last).sqrt()).maximum(Scalars.of(u, 1e-8));
        return dot.div(norms).sub(target).square().mean();
    }

    /**
     * Tunes {@code encoder} in place (every trainable tensor at the base rate) on pairs of
     * {@code train}'s samples.
     *
     * @param iterations SetFit's rounds of pairs per sample
     * @param epochs passes over the pairs
     * @return the run: one history record per epoch (its train loss the mean pair loss), DIVERGED
     *     on a non-finite loss
     */
    public static TrainResult tune(GraftModel encoder, Examples train, int iterations, int epochs, TrainConfig cfg,
            long seed, TrainListener listener) {
        return tune(encoder, encoder.layout(), FineTuner.Policy.allTrainable(), train, iterations, epochs, cfg, seed,
                listener);
    }

    /**
     * As {@link #tune(GraftModel, Examples, int, int, TrainConfig, long, TrainListener)}, each tensor
     * training as {@code policy} says: its learning-rate multiplier times the layer-wise decay of
     * its layer group in {@code network}, frozen when the policy freezes it (or gradual unfreezing
     * has not reached it), held units masked, BatchNorm statistics fixed where its weights are
     * frozen or the configuration fixes them.
     *
     * @param network the whole model the encoder was cut from (its layer groups count the decay)
     * @param policy every tensor's mode, by the network's tensor names (absent: fine-tuned at 1)
     */
    public static TrainResult tune(GraftModel encoder, ModelLayout network, FineTuner.Policy policy, Examples train,
            int iterations, int epochs, TrainConfig cfg, long seed, TrainListener listener) {
        long start = System.nanoTime();
        SplittableRandom rnd = new SplittableRandom(seed);
        Engine.getEngine("PyTorch").setRandomSeed((int) (seed ^ (seed >>> 32)));
        List<Pairing> pairs = pairs(train.labels(), iterations, rnd);
        Optimizer optimizer = new Optimizer(cfg.optimizer());
        int batch = cfg.batchSize();
        int stepsPerEpoch = (pairs.size() + batch - 1) / batch;
        int total = stepsPerEpoch * epochs;
        List<TrainResult.EpochRecord> history = new ArrayList<>();
        int step = 0;
        NDManager run = encoder.manager().newSubManager();
        try {
            Map<String, NDArray> masks = FineTuner.masks(encoder, policy, run);
            Map<String, NDArray> start0 = FineTuner.startingWeights(encoder, policy, cfg, run);
            for (String bn : encoder.batchNormLayers()) {
                boolean frozen = FineTuner.mode(policy, encoder.layout().param(bn + ".weight").orElseThrow())
                        instanceof dev.graft.transfer.Mode.Frozen;
                encoder.setBatchNormStatsFrozen(bn, cfg.freezeBatchNormStats() || frozen);
            }
            ParameterStore store = new ParameterStore(run, false);
            for (int epoch = 0; epoch < epochs; epoch++) {
                long epochStart = System.nanoTime();
                Map<String, Double> rates = FineTuner.lrMultipliers(network, policy, cfg, epoch);
                List<TrainableParam> trainable = new ArrayList<>();
                for (ParamInfo p : encoder.layout().params()) {
                    if (p.role().trainable()) {
                        Parameter param = encoder.parameters().get(p.name());
                        Double rate = rates.get(p.name());
                        param.freeze(rate == null);
                        if (rate != null) {
                            trainable.add(new TrainableParam(p.name(), param.getArray(), rate, masks.get(p.name()),
                                    p.decayed()));
                        }
                    }
                }
                double sum = 0;
                double lr = 0;
                for (int s = 0; s < stepsPerEpoch; s++) {
                    List<Pairing> chunk = pairs.subList(s * batch, Math.min(pairs.size(), (s + 1) * batch));
                    lr = cfg.schedule().lr(cfg.optimizer().lr(), step, total);
                    float value = trainable.isEmpty() ? pairLoss(encoder, store, train, chunk)
                            : step(encoder, store, train, chunk, trainable, optimizer, lr, cfg.regularization(),
                                    start0, policy);
                    step++;
                    if (!Float.isFinite(value)) {
                        return new TrainResult(TrainResult.Status.DIVERGED, "the contrastive loss became " + value
                                + " at step " + step + " (learning rate " + lr + ")", history, -1, step,
                                (System.nanoTime() - start) / 1e9);
                    }
                    sum += value * chunk.size();
                }
                TrainResult.EpochRecord rec = new TrainResult.EpochRecord(epoch, sum / pairs.size(), Double.NaN, lr,
                        trainable.size(), (System.nanoTime() - epochStart) / 1e9);
                history.add(rec);
                listener.onEpoch(rec, epochs);
            }
        } finally {
            optimizer.release();
            for (ParamInfo p : encoder.layout().params()) {
                if (p.role().trainable()) {
                    // as FineTuner leaves them: gradients attached, the next user decides
                    encoder.parameters().get(p.name()).freeze(false);
                }
            }
            run.close();
        }
        return new TrainResult(TrainResult.Status.COMPLETED, pairs.size() + " pairs × " + epochs + " epochs", history,
                epochs - 1, step, (System.nanoTime() - start) / 1e9);
    }

    /** The loss of a batch of pairs without a step: an encoder with nothing to train (all frozen). */
    private static float pairLoss(GraftModel encoder, ParameterStore store, Examples data, List<Pairing> chunk) {
        try (ai.djl.ndarray.NDScope scope = new ai.djl.ndarray.NDScope(); NDManager m = encoder.manager().newSubManager()) {
            NDArray[] in = inputs(m, data, chunk);
            NDArray z = encoder.block().forward(store, new NDList(in[0]), true).singletonOrThrow();
            NDList halves = z.reshape(2L * chunk.size(), -1).split(2);
            return loss(halves.get(0), halves.get(1), in[1]).getFloat();
        }
    }

    /** The pairs' inputs, {@code [2B, ...]} (first members, then second), and their targets {@code [B]}. */
    private static NDArray[] inputs(NDManager m, Examples data, List<Pairing> chunk) {
        int n = chunk.size();
        int d = data.sampleSize();
        float[] x = new float[2 * n * d];
        float[] t = new float[n];
        for (int i = 0; i < n; i++) {
            Pairing p = chunk.get(i);
            System.arraycopy(data.features(), p.a() * d, x, i * d, d);
            System.arraycopy(data.features(), p.b() * d, x, (n + i) * d, d);
            t[i] = p.target();
        }
        return new NDArray[] {m.create(x, new Shape(data.batchShape(2 * n))), m.create(t)};
    }

    private static float step(GraftModel encoder, ParameterStore store, Examples data, List<Pairing> chunk,
            List<TrainableParam> trainable, Optimizer optimizer, double lr, Regularization reg,
            Map<String, NDArray> start0, FineTuner.Policy policy) {
        int n = chunk.size();
        float value;
        try (ai.djl.ndarray.NDScope scope = new ai.djl.ndarray.NDScope(); NDManager m = encoder.manager().newSubManager()) {
            NDArray[] in = inputs(m, data, chunk);
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray z = encoder.block().forward(store, new NDList(in[0]), true).singletonOrThrow();
                NDArray flat = z.reshape(2L * n, -1);
                NDList halves = flat.split(2);
                NDArray loss = loss(halves.get(0), halves.get(1), in[1]);
                if (reg.any()) {
                    loss = loss.add(FineTuner.penalty(encoder, reg, trainable, start0, policy));
                }
                gc.backward(loss);
                value = loss.getFloat();
            }
            if (Float.isFinite(value)) {
                optimizer.step(trainable, lr);
                encoder.countBatchNormStep();
            }
        }
        return value;
    }
}
