package dev.graft.strategy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.graft.GraftInputException;
import dev.graft.checkpoint.MemoryWeightStore;
import dev.graft.checkpoint.WeightStore;
import dev.graft.data.Examples;
import dev.graft.engine.Engines;
import dev.graft.metrics.Transferability;
import dev.graft.model.GraftModel;
import dev.graft.model.ModelLayout;
import dev.graft.model.ModelSpec;
import dev.graft.model.ParamInfo;
import dev.graft.model.ParamRole;
import dev.graft.transfer.TransferException;
import dev.graft.transfer.TransferPlan;
import dev.graft.transfer.Transferor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How well a source model suits a target dataset, before any fine-tuning: the source network
 * (the spec with the checkpoint's head) runs on the target images in inference mode; its
 * predictions give LEEP and the input of its head (its features) gives LogME.
 *
 * @param source a label for the source
 * @param leep LEEP (higher is better)
 * @param logMe LogME (higher is better)
 * @param features the feature width
 * @param samples target samples scored
 */
public record SourceScore(String source, double leep, double logMe, int features, int samples) {

    /**
     * Scores {@code checkpoint} (an empty store: the spec freshly initialized, a no-transfer
     * baseline) as a source for {@code data}.
     *
     * @param head the head layer (null: the spec's head, {@link ModelLayout#head()})
     * @throws GraftInputException if the checkpoint does not fit the spec
     */
    public static SourceScore of(String label, WeightStore checkpoint, ModelSpec spec, String head, Examples data,
            long seed) {
        String h = head != null ? head : ModelLayout.of(spec).head();
        Forward f = forward(label, checkpoint, spec, h, data, seed, List.of(h));
        double[][] features = f.inputs().get(h);
        return new SourceScore(label, Transferability.leep(f.probabilities(), data.labels(), data.classes()),
                Transferability.logMe(features, data.labels(), data.classes()), features[0].length, data.size());
    }

    /**
     * LogME (You et al. 2021) of the source network's activations at the input of each of
     * {@code layers}, on {@code data}: how linearly the target labels can be read off the
     * features that transferring everything before that layer would keep. Convolution inputs of
     * more than {@value #MAX_FLAT} values per sample are averaged over their spatial positions
     * first (to [C]), which bounds memory whatever the network and image size.
     *
     * @param layers full names of layers of the spec
     * @return LogME by layer, in the order given
     * @throws GraftInputException if the checkpoint does not fit the spec
     */
    public static Map<String, Double> logMeAtInputs(String label, WeightStore checkpoint, ModelSpec spec, String head,
            Examples data, long seed, List<String> layers) {
        Forward f = forward(label, checkpoint, spec, head != null ? head : ModelLayout.of(spec).head(), data, seed,
                layers);
        Map<String, Double> out = new LinkedHashMap<>();
        for (String l : layers) {
            out.put(l, Transferability.logMe(f.inputs().get(l), data.labels(), data.classes()));
        }
        return out;
    }

    /** Values per sample above which a tapped convolution input is averaged over its positions. */
    static final int MAX_FLAT = 16_384;

    /** The source network's class probabilities per sample and the tapped layers' inputs per sample. */
    private record Forward(double[][] probabilities, Map<String, double[][]> inputs) {}

    /** Runs the source network (the spec with the checkpoint's head) on {@code data} in inference mode. */
    private static Forward forward(String label, WeightStore checkpoint, ModelSpec spec, String h, Examples data,
            long seed, List<String> tapped) {
        ModelLayout layout = ModelLayout.of(spec);
        int classes = checkpoint.contains(h + ".weight") ? (int) checkpoint.read(h + ".weight").dims().get(0)
                : (int) layout.param(h + ".weight").orElseThrow().dims().get(0);
        ModelLayout source = ModelLayout.of(spec.withLinearOut(h, classes));
        boolean random = checkpoint.names().isEmpty();
        Map<String, dev.graft.checkpoint.Tensor> state;
        try {
            state = Transferor.apply(random ? new MemoryWeightStore(null, Map.of(), Map.of()) : checkpoint, source,
                    new TransferPlan(List.of(), true, seed), random).tensors();
        } catch (TransferException e) {
            throw new GraftInputException(label + ": does not fit the model: " + e.getMessage());
        }
        int n = data.size();
        double[][] probabilities = new double[n][];
        Map<String, double[][]> inputs = new LinkedHashMap<>();
        try (NDManager m = Engines.pytorch().newBaseManager(); GraftModel model = GraftModel.build(source, m)) {
            model.load(state);
            Map<String, GraftModel.Tap> taps = new LinkedHashMap<>();
            for (String l : tapped) {
                taps.put(l, model.tapInput(l));
                inputs.put(l, new double[n][]);
            }
            ParameterStore store = new ParameterStore(model.manager(), false);
            for (int from = 0; from < n; from += 256) {
                int count = Math.min(256, n - from);
                try (NDManager batch = model.manager().newSubManager()) {
                    NDArray x = batch.create(data.features(from, count), new Shape(data.batchShape(count)));
                    NDArray logits = model.block().forward(store, new NDList(x), false).singletonOrThrow();
                    float[] p = logits.softmax(1).toFloatArray();
                    for (int i = 0; i < count; i++) {
                        probabilities[from + i] = new double[classes];
                        for (int c = 0; c < classes; c++) {
                            probabilities[from + i][c] = p[i * classes + c];
                        }
                    }
                    for (var e : taps.entrySet()) {
                        NDArray in = e.getValue().input();
                        if (in.getShape().dimension() == 4 && in.getShape().size() / count > MAX_FLAT) {
                            in = in.mean(new int[] {2, 3});
                        }
                        float[] fa = in.reshape(count, -1).toFloatArray();
                        int width = fa.length / count;
                        double[][] rows = inputs.get(e.getKey());
                        for (int i = 0; i < count; i++) {
                            rows[from + i] = new double[width];
                            for (int k = 0; k < width; k++) {
                                rows[from + i][k] = fa[i * width + k];
                            }
                        }
                    }
                }
            }
        }
        return new Forward(probabilities, inputs);
    }
}
