package dev.graft.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.graft.checkpoint.Tensor;
import dev.graft.data.Examples;
import dev.graft.engine.Scalars;
import dev.graft.metrics.ClassificationMetrics;
import dev.graft.model.GraftModel;
import dev.graft.model.LayerGroup;
import dev.graft.model.ModelLayout;
import dev.graft.model.ParamInfo;
import dev.graft.model.ParamRole;
import dev.graft.transfer.Mode;
import dev.graft.transfer.UnitMask;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The fine-tuning loop. Each step runs in an {@link NDScope} and its own sub-manager so memory
 * stays flat; the optimizer step happens after the gradient collector is closed. Only one
 * fine-tune may run per JVM at a time (DJL allows one active gradient collector).
 *
 * <p>Per-tensor settings come from the transfer: frozen tensors never train (DJL parameter
 * freezing, and their BatchNorm statistics stay fixed), fine-tuned ones train at their LR
 * multiplier, and frozen units are masked inside the optimizer so they change by exactly zero.
 *
 * <p>A regression's samples ({@link Examples#regression()}) train on their task's loss
 * ({@link dev.graft.metrics.RegressionLoss}) between the one-output model and the standardized
 * targets instead of cross-entropy; validation then measures RMSE, MAE and R² in the target's units.
 *
 * <p>With {@link TrainConfig#adversarial()} on, each step's batch (after augmentation) is replaced
 * by {@link AdversarialTraining#inputs} before the step's gradient collector opens; loss terms then
 * see that batch.
 */
public final class FineTuner {
    private FineTuner() {}

    /** The inputs that say what may train and how fast. */
    public record Policy(Map<String, Mode> modes, Map<String, UnitMask> frozenUnits) {
        /** Every tensor fine-tunes at the base rate. */
        public static Policy allTrainable() {
            return new Policy(Map.of(), Map.of());
        }
    }

    /**
     * Fine-tunes {@code model} in place.
     *
     * @param validation the validation set for early stopping, or null
     * @return how the run ended; a NaN or infinite loss ends it as DIVERGED, never with an exception
     */
    public static TrainResult fit(GraftModel model, Policy policy, Examples train, Examples validation,
            TrainConfig cfg, long seed, TrainListener listener) {
        return fit(model, policy, train, validation, cfg, seed, listener, List.of());
    }

    /**
     * As {@link #fit(GraftModel, Policy, Examples, Examples, TrainConfig, long, TrainListener)},
     * with {@code terms} added to every step's loss (source protection).
     */
    public static TrainResult fit(GraftModel model, Policy policy, Examples train, Examples validation,
            TrainConfig cfg, long seed, TrainListener listener, List<LossTerm> terms) {
        long start = System.nanoTime();
        SplittableRandom rnd = new SplittableRandom(seed);
        // dropout draws from the engine's generator: seed it too, or runs do not repeat
        Engine.getEngine("PyTorch").setRandomSeed((int) (seed ^ (seed >>> 32)));
        Examples data = switch (cfg.imbalance()) {
            case OVERSAMPLE -> Rebalancer.oversample(train, rnd.split());
            case SMOTE -> Rebalancer.smote(train, 5, rnd.split());
            default -> train;
        };
        float[] weights = cfg.imbalance() == Imbalance.CLASS_WEIGHTS ? Rebalancer.classWeights(data) : ones(data.classes());
        ModelLayout layout = model.layout();
        NDManager runManager = model.manager().newSubManager();
        Optimizer optimizer = null;
        try {
            for (LossTerm t : terms) {
                t.start(model, runManager);
            }
            // read before any step: a non-finite loss is blamed on the step size only when these are clean
            String badStart = nonFiniteWeight(model);
            Map<String, NDArray> masks = masks(model, policy, runManager);
            Map<String, NDArray> start0 = startingWeights(model, policy, cfg, runManager);
            for (String bn : model.batchNormLayers()) {
                boolean frozenWeights = mode(policy, layout.param(bn + ".weight").orElseThrow()) instanceof Mode.Frozen;
                model.setBatchNormStatsFrozen(bn, cfg.freezeBatchNormStats() || frozenWeights);
            }
            optimizer = new Optimizer(cfg.optimizer());
            Augmenter augmenter = cfg.augment().any() && data.sampleShape().rank() == 3
                    ? new Augmenter(cfg.augment(), (int) data.sampleShape().get(0), (int) data.sampleShape().get(1),
                            (int) data.sampleShape().get(2))
                    : null;
            int stepsPerEpoch = (data.size() + cfg.batchSize() - 1) / cfg.batchSize();
            int totalSteps = stepsPerEpoch * cfg.epochs();
            List<TrainResult.EpochRecord> history = new ArrayList<>();
            EarlyStopping es = cfg.earlyStopping();
            boolean watch = validation != null && es.patience() > 0;
            double best = Double.NaN;
            int bestEpoch = -1;
            int stale = 0;
            Map<String, Tensor> bestState = null;
            int step = 0;
            ParameterStore store = new ParameterStore(runManager, false);
            NDArray classWeights = runManager.create(weights);
            BatchStaging features = new BatchStaging();
            BatchStaging targets = new BatchStaging();
            for (int epoch = 0; epoch < cfg.epochs(); epoch++) {
                long epochStart = System.nanoTime();
                List<TrainableParam> trainable = trainable(model, policy, cfg, epoch, masks);
                double lossSum = 0;
                int[] order = Distributions.permutation(data.size(), rnd);
                double lr = 0;
                for (int b = 0; b < stepsPerEpoch; b++) {
                    int from = b * cfg.batchSize();
                    int n = Math.min(cfg.batchSize(), data.size() - from);
                    Batch batch = batch(data, order, from, n, cfg.labelSmoothing());
                    if (augmenter != null) {
                        batch = augmenter.apply(batch, rnd);
                    }
                    lr = cfg.schedule().lr(cfg.optimizer().lr(), step, totalSteps);
                    float loss = step(model, store, batch, data, classWeights, cfg.regularization(), trainable,
                            start0, policy, optimizer, lr, terms, cfg.adversarial(), features, targets);
                    step++;
                    if (!Float.isFinite(loss)) {
                        return new TrainResult(TrainResult.Status.DIVERGED, "the loss became " + loss + " at epoch "
                                + (epoch + 1) + ", step " + step + " (learning rate " + lr + "); "
                                + cause(data, badStart), history, bestEpoch, step, seconds(start));
                    }
                    lossSum += loss * n;
                }
                double val = Double.NaN;
                if (validation != null) {
                    ClassificationMetrics m = Evaluator.evaluate(model, validation, 256);
                    val = m.get(es.metric());
                }
                TrainResult.EpochRecord rec = new TrainResult.EpochRecord(epoch, lossSum / data.size(), val, lr,
                        trainable.size(), seconds(epochStart));
                history.add(rec);
                listener.onEpoch(rec, cfg.epochs());
                if (listener.shouldStop(rec)) {
                    return new TrainResult(TrainResult.Status.PRUNED, "pruned after epoch " + (epoch + 1), history,
                            epoch, step, seconds(start));
                }
                if (watch) {
                    boolean better = Double.isNaN(best)
                            || (es.metric().higherIsBetter() ? val > best : val < best);
                    if (better) {
                        best = val;
                        bestEpoch = epoch;
                        stale = 0;
                        if (es.restoreBest()) {
                            bestState = model.stateDict();
                        }
                    } else if (++stale >= es.patience()) {
                        if (bestState != null) {
                            model.load(bestState);
                        }
                        return new TrainResult(TrainResult.Status.EARLY_STOPPED, "no improvement of validation "
                                + es.metric().keyword() + " for " + es.patience() + " epochs; best at epoch "
                                + (bestEpoch + 1), history, es.restoreBest() ? bestEpoch : epoch, step, seconds(start));
                    }
                }
            }
            int finalEpoch = cfg.epochs() - 1;
            if (watch && es.restoreBest() && bestState != null && bestEpoch != finalEpoch) {
                model.load(bestState);
                finalEpoch = bestEpoch;
            }
            return new TrainResult(TrainResult.Status.COMPLETED, "ran " + cfg.epochs() + " epochs", history, finalEpoch,
                    step, seconds(start));
        } finally {
            if (optimizer != null) {
                optimizer.release();
            }
            terms.forEach(LossTerm::finish);
            for (Parameter p : model.parameters().values()) {
                if (!p.getType().equals(Parameter.Type.RUNNING_MEAN) && !p.getType().equals(Parameter.Type.RUNNING_VAR)) {
                    p.freeze(false);
                }
            }
            runManager.close();
        }
    }

    private static float step(GraftModel model, ParameterStore store, Batch batch, Examples data, NDArray classWeights,
            Regularization reg, List<TrainableParam> trainable, Map<String, NDArray> start0, Policy policy,
            Optimizer optimizer, double lr, List<LossTerm> terms, AdversarialTraining adversarial,
            BatchStaging features, BatchStaging targets) {
        float lossValue;
        try (NDScope scope = new NDScope(); NDManager m = model.manager().newSubManager()) {
            NDArray x = features.create(m, batch.features(), new Shape(data.batchShape(batch.n())));
            NDArray q = targets.create(m, batch.targets(), new Shape(batch.n(), data.classes()));
            // the attack opens and closes its own gradient collector here, before the step's
            if (adversarial.on()) {
                x = adversarial.inputs(model, x, q);
            }
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray logits = model.block().forward(store, new NDList(x), true).singletonOrThrow();
                NDArray loss = data.regression() ? data.targets().loss().of(logits, q)
                        : adversarial.on() ? adversarial.loss(logits, q, classWeights)
                        : Losses.crossEntropy(logits, q, classWeights);
                double labelWeight = 1;
                for (LossTerm t : terms) {
                    labelWeight *= t.labelWeight();
                }
                if (labelWeight != 1) {
                    loss = loss.mul(Scalars.of(loss, labelWeight));
                }
                if (reg.any()) {
                    loss = loss.add(penalty(model, reg, trainable, start0, policy));
                }
                for (LossTerm t : terms) {
                    loss = loss.add(t.loss(model, x, logits));
                }
                gc.backward(loss);
                lossValue = loss.getFloat();
            }
            if (Float.isFinite(lossValue)) {
                optimizer.step(trainable, lr);
                model.countBatchNormStep();
                for (LossTerm t : terms) {
                    t.afterStep(lr);
                }
            }
        }
        return lossValue;
    }

    static NDArray penalty(GraftModel model, Regularization reg, List<TrainableParam> trainable,
            Map<String, NDArray> start0, Policy policy) {
        NDArray total = null;
        for (TrainableParam p : trainable) {
            if (!p.decay()) {
                continue;
            }
            NDArray w = p.weight();
            NDArray term = null;
            if (reg.l1() > 0) {
                term = add(term, scaled(w.abs().sum(), reg.l1()));
            }
            if (reg.l2() > 0) {
                term = add(term, scaled(w.square().sum(), reg.l2() / 2));
            }
            NDArray w0 = start0.get(p.name());
            if (w0 != null) {
                term = add(term, scaled(w.sub(w0).square().sum(), reg.l2spAlpha() / 2));
            } else if (reg.l2spBeta() > 0) {
                term = add(term, scaled(w.square().sum(), reg.l2spBeta() / 2));
            }
            total = add(total, term);
        }
        return total == null ? model.manager().zeros(new Shape()) : total;
    }

    /** {@code x · c}, the constant kept alive for the backward pass (see {@link Scalars}). */
    private static NDArray scaled(NDArray x, double c) {
        return x.mul(Scalars.of(x, c));
    }

    private static NDArray add(NDArray a, NDArray b) {
        return a == null ? b : b == null ? a : a.add(b);
    }

    /** The tensors that train in {@code epoch}, freezing the rest through DJL. */
    private static List<TrainableParam> trainable(GraftModel model, Policy policy, TrainConfig cfg, int epoch,
            Map<String, NDArray> masks) {
        Map<String, Double> rates = lrMultipliers(model.layout(), policy, cfg, epoch);
        List<TrainableParam> out = new ArrayList<>();
        for (ParamInfo p : model.layout().params()) {
            if (!p.role().trainable()) {
                continue;
            }
            Parameter param = model.parameters().get(p.name());
            Double lr = rates.get(p.name());
            param.freeze(lr == null);
            if (lr != null) {
                out.add(new TrainableParam(p.name(), param.getArray(), lr, masks.get(p.name()), isDecayed(p)));
            }
        }
        return out;
    }

    /**
     * The learning-rate multiplier of every tensor that trains in {@code epoch}: its mode's
     * multiplier times {@code layerDecay^k} for the k-th layer group below the top. Tensors that
     * are frozen, or not yet unfrozen by gradual unfreezing, are absent.
     */
    public static Map<String, Double> lrMultipliers(ModelLayout layout, Policy policy, TrainConfig cfg, int epoch) {
        Map<String, Integer> groups = layerGroups(layout);
        int groupCount = Math.max(1, layout.groups().size());
        int lowestOpen = cfg.gradualUnfreezeEvery() > 0
                ? Math.max(0, groupCount - 1 - epoch / cfg.gradualUnfreezeEvery()) : 0;
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        for (ParamInfo p : layout.params()) {
            if (!p.role().trainable()) {
                continue;
            }
            Mode mode = mode(policy, p);
            int group = groups.get(p.name());
            if (!(mode instanceof Mode.Frozen) && group >= lowestOpen) {
                out.put(p.name(), mode.lrMultiplier() * Math.pow(cfg.layerDecay(), groupCount - 1 - group));
            }
        }
        return out;
    }

    /**
     * Each tensor's layer group, by its index in model order (0 the bottom): the model's
     * {@link ModelLayout#groups()}, over which discriminative rates decay and gradual unfreezing goes.
     */
    static Map<String, Integer> layerGroups(ModelLayout layout) {
        Map<String, Integer> out = new HashMap<>();
        List<LayerGroup> groups = layout.groups();
        for (int i = 0; i < groups.size(); i++) {
            for (String t : groups.get(i).tensors()) {
                out.put(t, i);
            }
        }
        return out;
    }

    /**
     * The starting weights L2-SP pulls towards (Li et al. 2018): a copy, held by {@code manager}, of
     * every decayed tensor that was transferred (not re-initialized); empty without L2-SP.
     */
    static Map<String, NDArray> startingWeights(GraftModel model, Policy policy, TrainConfig cfg, NDManager manager) {
        Map<String, NDArray> start0 = new HashMap<>();
        if (cfg.regularization().l2spAlpha() > 0) {
            for (ParamInfo p : model.layout().params()) {
                if (isDecayed(p) && !(mode(policy, p) instanceof Mode.Reinit)) {
                    NDArray w0 = model.parameters().get(p.name()).getArray().duplicate();
                    w0.attach(manager);
                    start0.put(p.name(), w0);
                }
            }
        }
        return start0;
    }

    /** Each held tensor's mask of units that train (1) or stay (0), by the policy's frozen units. */
    static Map<String, NDArray> masks(GraftModel model, Policy policy, NDManager manager) {
        Map<String, NDArray> out = new HashMap<>();
        policy.frozenUnits().forEach((name, mask) -> {
            // a policy of the whole network may hold units of layers an encoder was cut before
            ParamInfo p = model.layout().param(name).orElse(null);
            if (p == null) {
                return;
            }
            // rows of output units, or an attention head's block of rows or input columns
            boolean[] frozen = mask.covers(p.dims());
            float[] m = new float[frozen.length];
            for (int i = 0; i < m.length; i++) {
                m[i] = frozen[i] ? 0f : 1f;
            }
            out.put(name, manager.create(m, new Shape(p.dims().sizes())));
        });
        return out;
    }

    static Mode mode(Policy policy, ParamInfo p) {
        return policy.modes().getOrDefault(p.name(), new Mode.FineTune(1));
    }

    private static boolean isDecayed(ParamInfo p) {
        return p.decayed();
    }

    private static Batch batch(Examples data, int[] order, int from, int n, double smoothing) {
        int d = data.sampleSize();
        float[] x = new float[n * d];
        int[] labels = new int[n];
        for (int j = 0; j < n; j++) {
            int i = order[from + j];
            System.arraycopy(data.features(), i * d, x, j * d, d);
            labels[j] = data.labels()[i];
        }
        if (data.regression()) {
            // one standardized target per sample: [n, 1], the shape of a one-output model's output
            float[] z = new float[n];
            for (int j = 0; j < n; j++) {
                z[j] = data.targets().standardized(order[from + j]);
            }
            return new Batch(x, z, labels, n);
        }
        return new Batch(x, Losses.targets(labels, data.classes(), smoothing), labels, n);
    }


    /** The first parameter holding a NaN or infinity, or null when all are finite. */
    private static String nonFiniteWeight(GraftModel model) {
        // the scope closes the temporary arrays the checks create
        try (NDScope scope = new NDScope()) {
            for (Map.Entry<String, Parameter> e : model.parameters().entrySet()) {
                NDArray a = e.getValue().getArray();
                if (a.isNaN().any().getBoolean() || a.isInfinite().any().getBoolean()) {
                    return e.getKey();
                }
            }
        }
        return null;
    }

    /**
     * Why the loss became non-finite: a non-finite input or starting weight when there is one (a
     * smaller learning rate would not help), else the step size.
     */
    private static String cause(Examples data, String badStart) {
        float[] f = data.features();
        for (int i = 0; i < f.length; i++) {
            if (!Float.isFinite(f[i])) {
                return "training sample " + i / data.sampleSize() + " holds " + f[i] + "; fix the data";
            }
        }
        if (badStart != null) {
            return "the starting weights hold a non-finite value in '" + badStart + "'; fix the source weights";
        }
        return "lower the learning rate";
    }

    private static float[] ones(int n) {
        float[] w = new float[n];
        java.util.Arrays.fill(w, 1f);
        return w;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
