package dev.graft.strategy;

import ai.djl.ndarray.NDManager;
import dev.graft.checkpoint.DType;
import dev.graft.checkpoint.MemoryWeightStore;
import dev.graft.checkpoint.Tensor;
import dev.graft.checkpoint.WeightStore;
import dev.graft.data.Examples;
import dev.graft.engine.Engines;
import dev.graft.model.GraftModel;
import dev.graft.model.ModelLayout;
import dev.graft.train.FineTuner;
import dev.graft.train.OptimizerKind;
import dev.graft.train.TrainConfig;
import dev.graft.train.TrainListener;
import dev.graft.transfer.TransferPlan;
import dev.graft.transfer.Transferor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Reptile (Nichol et al. 2018): meta-learns an initialization from which a few steps on a new
 * few-shot task go far. Each iteration draws an N-way K-shot task from the source classes (N =
 * the model's outputs; the classes' order, and so the head's meaning, is shuffled per task), takes
 * {@code innerSteps} Adam steps on it from the current weights θ, and moves θ toward the result:
 * θ ← θ + ε (θ' − θ), with ε falling linearly from {@code metaStep} to 0. The head starts every
 * task at zero and is not meta-learned: with the classes shuffled per task it has nothing shared
 * to learn, and letting it drift left the layer below it with dead ReLUs.
 *
 * @param iterations meta-iterations
 * @param innerSteps Adam steps per task (one full batch each)
 * @param innerLr their learning rate
 * @param metaStep ε at the first iteration
 * @param shots K: images per class of each task
 */
public record Reptile(int iterations, int innerSteps, double innerLr, double metaStep, int shots) {

    public Reptile {
        if (iterations < 1 || innerSteps < 1 || !(innerLr > 0) || !(metaStep > 0 && metaStep <= 1) || shots < 1) {
            throw new IllegalArgumentException("Reptile needs positive counts, a positive inner rate and ε in (0, 1]");
        }
    }

    /** The meta-learned weights of {@code layout}, from a seeded fresh start, on {@code source} data. */
    public WeightStore metaTrain(ModelLayout layout, Examples source, long seed) {
        int ways = (int) layout.output().get(0);
        if (source.classes() < ways) {
            throw new IllegalArgumentException("Reptile needs at least " + ways + " source classes, got " + source.classes());
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<String, Tensor> theta = new LinkedHashMap<>(Transferor.apply(new MemoryWeightStore(null, Map.of(), Map.of()),
                layout, new TransferPlan(List.of(), false, seed), true).tensors());
        // the head's classes are shuffled per task, so it has nothing to meta-learn: every task
        // starts it at zero (uniform predictions) and the meta-update leaves it there
        String head = layout.head();
        zeroHead(theta, head);
        List<List<Integer>> byClass = source.indicesByClass();
        TrainConfig inner = TrainConfig.simple(OptimizerKind.ADAM, innerLr, innerSteps, ways * shots);
        try (NDManager m = Engines.pytorch().newBaseManager(); GraftModel model = GraftModel.build(layout, m)) {
            for (int it = 0; it < iterations; it++) {
                Examples task = task(source, byClass, ways, rnd);
                model.load(theta);
                FineTuner.fit(model, FineTuner.Policy.allTrainable(), task, null, inner, rnd.nextLong(),
                        TrainListener.NONE);
                double epsilon = metaStep * (1 - (double) it / iterations);
                theta = interpolate(theta, model.stateDict(), epsilon);
                zeroHead(theta, head);
            }
        }
        return new MemoryWeightStore(null, theta, Map.of());
    }

    private static void zeroHead(Map<String, Tensor> theta, String head) {
        if (head == null) {
            return;
        }
        theta.replaceAll((name, t) -> name.startsWith(head + ".") && t.dtype() == DType.F32
                ? Tensor.ofFloats(t.dims(), new float[(int) t.dims().count()]) : t);
    }

    /**
     * An N-way K-shot task: N of the source classes, relabelled 0..N−1 in a random order, K
     * images each, copied straight from the pool (not by filtering the whole pool per task).
     */
    private Examples task(Examples source, List<List<Integer>> byClass, int ways, SplittableRandom rnd) {
        int[] classes = shuffled(byClass.size(), rnd);
        int d = source.sampleSize();
        float[] x = new float[ways * shots * d];
        int[] y = new int[ways * shots];
        int n = 0;
        for (int label = 0; label < ways; label++) {
            List<Integer> pool = byClass.get(classes[label]);
            if (pool.size() < shots) {
                throw new IllegalArgumentException("source class " + classes[label] + " has " + pool.size()
                        + " images, fewer than " + shots + " shots");
            }
            int[] pick = shuffled(pool.size(), rnd);
            for (int k = 0; k < shots; k++) {
                System.arraycopy(source.features(), pool.get(pick[k]) * d, x, n * d, d);
                y[n++] = label;
            }
        }
        return new Examples(source.sampleShape(), x, y, ways);
    }

    private static int[] shuffled(int n, SplittableRandom rnd) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** θ + ε (θ' − θ) for float tensors; other tensors (counters) take θ'. */
    static Map<String, Tensor> interpolate(Map<String, Tensor> theta, Map<String, Tensor> adapted, double epsilon) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        theta.forEach((name, t) -> {
            Tensor a = adapted.get(name);
            if (t.dtype() != DType.F32) {
                out.put(name, a);
                return;
            }
            float[] x = t.toFloats();
            float[] y = a.toFloats();
            for (int i = 0; i < x.length; i++) {
                x[i] += (float) (epsilon * (y[i] - x[i]));
            }
            out.put(name, Tensor.ofFloats(t.dims(), x));
        });
        return out;
    }
}
