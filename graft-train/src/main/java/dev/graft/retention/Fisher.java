package dev.graft.retention;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.graft.checkpoint.Tensor;
import dev.graft.data.Examples;
import dev.graft.engine.Engines;
import dev.graft.model.GraftModel;
import dev.graft.model.ModelLayout;
import dev.graft.model.ParamInfo;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The diagonal of the empirical Fisher information of a model, as EWC uses it (Kirkpatrick et
 * al. 2017): for each parameter, the mean over samples of the squared gradient of
 * {@code log p(y | x)} at the sample's true label, the model in inference mode (BatchNorm uses
 * its running statistics, dropout is off). Per-sample gradients, not batch gradients: the square
 * of a mean is not the mean of squares.
 */
public final class Fisher {
    private Fisher() {}

    /**
     * @param layout the model
     * @param state its weights
     * @param data samples with labels; the first {@code samples} are used
     * @param excludedLayer a layer left out (the head, which the target replaces), or null
     * @return parameter name → its Fisher values, flattened in the tensor's order
     */
    public static Map<String, float[]> diagonal(ModelLayout layout, Map<String, Tensor> state, Examples data,
            int samples, String excludedLayer) {
        int n = Math.min(samples, data.size());
        Map<String, float[]> out = new LinkedHashMap<>();
        try (NDManager m = Engines.pytorch().newBaseManager(); GraftModel model = GraftModel.build(layout, m)) {
            model.load(state);
            Map<String, Parameter> params = new LinkedHashMap<>();
            for (ParamInfo p : layout.params()) {
                if (p.role().trainable() && (excludedLayer == null || !p.layer().equals(excludedLayer))) {
                    params.put(p.name(), model.parameters().get(p.name()));
                    out.put(p.name(), new float[(int) p.dims().count()]);
                }
            }
            ParameterStore store = new ParameterStore(model.manager(), false);
            long[] shape = data.sampleShape().sizes();
            long[] one = new long[shape.length + 1];
            one[0] = 1;
            System.arraycopy(shape, 0, one, 1, shape.length);
            for (int i = 0; i < n; i++) {
                try (NDManager step = model.manager().newSubManager()) {
                    NDArray x = step.create(data.sample(i), new Shape(one));
                    try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                        NDArray logits = model.block().forward(store, new NDList(x), false).singletonOrThrow();
                        NDArray nll = logits.logSoftmax(1).get(0, data.labels()[i]).neg();
                        gc.backward(nll);
                    }
                    for (Map.Entry<String, Parameter> e : params.entrySet()) {
                        NDArray g = e.getValue().getArray().getGradient();
                        float[] v = g.toFloatArray();
                        float[] acc = out.get(e.getKey());
                        for (int k = 0; k < v.length; k++) {
                            acc[k] += v[k] * v[k] / n;
                        }
                        g.subi(g);
                    }
                }
            }
        }
        return out;
    }
}
