package dev.graft.experiment;

import ai.djl.ndarray.NDManager;
import dev.graft.GraftInputException;
import dev.graft.checkpoint.Dims;
import dev.graft.checkpoint.Tensor;
import dev.graft.data.Examples;
import dev.graft.engine.Engines;
import dev.graft.metrics.ClassificationMetrics;
import dev.graft.model.GraftModel;
import dev.graft.model.ModelLayout;
import dev.graft.model.ModelSplit;
import dev.graft.model.ParamInfo;
import dev.graft.train.Evaluator;
import dev.graft.train.HeadFit;
import dev.graft.train.LogisticHead;
import dev.graft.train.TrainResult;
import dev.graft.transfer.Mode;
import dev.graft.transfer.TransferResult;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A run whose transfer freezes every tensor but a linear head's: the trunk's features are computed
 * once and the head is fitted to convergence on them ({@link LogisticHead}), instead of the few
 * minibatch epochs that suit full fine-tuning. The test set's features are cached per trunk (the
 * digest of its tensors), so strategies, shot counts and seeds that share a frozen trunk pay for
 * its forward pass over the test set once.
 */
final class ConvergedHead {
    /** The trunk's features of measured sets, by trunk digest and set; bounded, oldest dropped first. */
    private static final Map<Key, Examples> MEASURED = new LinkedHashMap<>(8, 0.75f, true);
    private static final long BUDGET_BYTES = 512L << 20;

    private ConvergedHead() {}

    /** A set's features under one trunk; the set is compared by identity (sets are never mutated). */
    private record Key(String trunk, Examples data) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.trunk.equals(trunk) && k.data == data;
        }

        @Override
        public int hashCode() {
            return trunk.hashCode() * 31 + System.identityHashCode(data);
        }
    }

    /**
     * The cut before the head when the run fits a converged head, or empty when it trains by
     * gradient.
     *
     * @throws GraftInputException when {@code head_fit: converged} is asked of a strategy that trains
     *     more than a linear head
     */
    static Optional<ModelSplit> applies(Prepared p, Strategies.Resolved strategy, ModelLayout layout,
            TransferResult tr, boolean extraLossTerms) {
        HeadFit fit = strategy.train().headFit();
        if (fit == HeadFit.GRADIENT) {
            return Optional.empty();
        }
        Optional<String> obstacle = p.data().pool().regression()
                ? Optional.of("the task is a regression, and a converged head is a softmax (multinomial logistic) one")
                : strategy.train().adversarial().on()
                ? Optional.of("it trains on adversarial examples, which move with the head; a converged head is "
                        + "fitted on fixed features")
                : obstacle(layout, tr, extraLossTerms || !ExperimentRunner.lossTerms(p, strategy).isEmpty());
        if (obstacle.isPresent()) {
            if (fit == HeadFit.CONVERGED) {
                throw new GraftInputException(p.file() + ": strategy '" + strategy.name()
                        + "' runs with train.head_fit: converged (set for it or in the experiment's train), which fits "
                        + "only a linear head on a frozen trunk, but " + obstacle.get());
            }
            return Optional.empty();
        }
        return ModelSplit.before(layout.spec(), layout.head(), true);
    }

    private static Optional<String> obstacle(ModelLayout layout, TransferResult tr, boolean lossTerms) {
        String head = layout.head();
        if (!layout.units().get(head).followers().isEmpty()) {
            return Optional.of("its head " + head + " is followed by a normalization layer");
        }
        List<ParamInfo> own = layout.params().stream().filter(q -> q.name().startsWith(head + ".")).toList();
        boolean linear = own.size() == 2 && own.get(0).name().equals(head + ".weight")
                && own.get(0).dims().rank() == 2 && own.get(1).name().equals(head + ".bias");
        if (!linear) {
            return Optional.of("its head " + head + " is not a linear layer with a bias");
        }
        for (ParamInfo q : layout.params()) {
            if (!q.name().startsWith(head + ".") && !(tr.modes().get(q.name()) instanceof Mode.Frozen)) {
                return Optional.of(q.name() + " is not frozen");
            }
        }
        if (lossTerms) {
            return Optional.of("it adds loss terms (LwF, EWC, domain adaptation) a converged head does not take");
        }
        if (ModelSplit.before(layout.spec(), head, true).isEmpty()) {
            return Optional.of("the model cannot be cut before its head " + head);
        }
        return Optional.empty();
    }

    /**
     * Fits the head and measures it: the record's {@code test} holds {@code measured}'s metrics
     * (null when it is null). {@code full} is the whole model with the transferred tensors, which
     * receives the fitted head (for the caller's checkpoint, retention and robustness).
     */
    static Result run(ModelSplit split, ModelLayout layout, TransferResult tr, Examples train, Examples validation,
            Examples measured, long seed, dev.graft.metrics.MetricName metric) {
        long start = System.nanoTime();
        ModelLayout prefix = ModelLayout.of(split.prefix());
        ModelLayout suffix = ModelLayout.of(split.suffix());
        Map<String, Tensor> trunk = prefix.tensorsOf(tr.tensors());
        String digest = digest(trunk);
        Examples trainF;
        Examples validationF;
        Examples measuredF = null;
        try (NDManager m = Engines.pytorch().newBaseManager(); GraftModel model = GraftModel.build(prefix, m)) {
            model.load(trunk);
            trainF = Evaluator.activations(model, train);
            validationF = validation == null ? null : Evaluator.activations(model, validation);
            if (measured != null) {
                measuredF = cached(digest + "@" + layout.head(), measured, model);
            }
        }
        LogisticHead.Fit fit = LogisticHead.fit(trainF, validationF, seed);
        String head = layout.head();
        Map<String, Tensor> headTensors = new LinkedHashMap<>();
        int k = fit.bias().length;
        int d = fit.weight()[0].length;
        float[] w = new float[k * d];
        for (int c = 0; c < k; c++) {
            System.arraycopy(fit.weight()[c], 0, w, c * d, d);
        }
        headTensors.put(head + ".weight", Tensor.ofFloats(new Dims(k, d), w));
        headTensors.put(head + ".bias", Tensor.ofFloats(new Dims(k), fit.bias()));
        Map<String, Tensor> all = new LinkedHashMap<>(tr.tensors());
        all.putAll(headTensors);
        ClassificationMetrics test = null;
        double trainLoss;
        double val = Double.NaN;
        dev.graft.metrics.GroupMetrics validationGroups = null;
        try (NDManager m = Engines.pytorch().newBaseManager(); GraftModel model = GraftModel.build(suffix, m)) {
            model.load(headTensors);
            trainLoss = Evaluator.evaluate(model, trainF, 256).loss();
            if (validationF != null) {
                ClassificationMetrics v = Evaluator.evaluate(model, validationF, 256);
                val = v.get(metric);
                validationGroups = v.groups();
            }
            if (measuredF != null) {
                test = Evaluator.evaluate(model, measuredF, 256);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String message = "head fitted to convergence on the frozen trunk's features (L2 " + fit.lambda() + " chosen "
                + fit.selection() + ")";
        List<TrainResult.EpochRecord> history = new ArrayList<>();
        history.add(new TrainResult.EpochRecord(0, trainLoss, val, 0, 2, seconds));
        return new Result(all, new TrainResult(TrainResult.Status.COMPLETED, message, history, 0, 0, seconds), test,
                validationGroups);
    }

    /**
     * A fitted run.
     *
     * @param tensors every tensor of the model, the fitted head's included
     * @param train the fit as a one-epoch training result
     * @param test the measured set's metrics, or null
     * @param validationGroups the validation set's metrics per group, or null
     */
    record Result(Map<String, Tensor> tensors, TrainResult train, ClassificationMetrics test,
            dev.graft.metrics.GroupMetrics validationGroups) {}

    /** {@code data}'s features under {@code trunk}, computed once per trunk digest (and set). */
    static synchronized Examples cached(String digest, Examples data, GraftModel trunk) {
        Key key = new Key(digest, data);
        Examples hit = MEASURED.get(key);
        if (hit != null) {
            return hit;
        }
        Examples f = Evaluator.activations(trunk, data);
        MEASURED.put(key, f);
        long used = 0;
        for (Examples e : MEASURED.values()) {
            used += 4L * e.features().length;
        }
        var it = MEASURED.entrySet().iterator();
        while (used > BUDGET_BYTES && it.hasNext()) {
            Map.Entry<Key, Examples> oldest = it.next();
            if (oldest.getKey().equals(key)) {
                continue;
            }
            used -= 4L * oldest.getValue().features().length;
            it.remove();
        }
        return f;
    }



    static String digest(Map<String, Tensor> tensors) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                md.update(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                ByteBuffer b = e.getValue().data().duplicate();
                md.update(b);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
