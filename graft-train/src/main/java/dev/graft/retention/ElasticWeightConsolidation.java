package dev.graft.retention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.graft.checkpoint.EngineTensors;
import dev.graft.model.GraftModel;
import dev.graft.train.LossTerm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Elastic weight consolidation (Kirkpatrick et al. 2017): Σᵢ λ/2 · Fᵢ · (wᵢ − w⁰ᵢ)², where w⁰ are
 * the source model's weights and F the diagonal Fisher information of the source task. Unlike
 * L2-SP it holds hardest the weights the source task depends on. Tensors the target re-shaped
 * (or the head) have no source counterpart of their shape and are not penalized.
 */
public final class ElasticWeightConsolidation implements LossTerm {
    private final Map<String, dev.graft.checkpoint.Tensor> anchors;
    private final Map<String, float[]> fisher;
    private final double lambda;
    private final List<NDArray[]> terms = new ArrayList<>();

    /**
     * @param anchors w⁰: the source model's weights by name
     * @param fisher F by name, flattened
     * @param lambda λ
     */
    public ElasticWeightConsolidation(Map<String, dev.graft.checkpoint.Tensor> anchors, Map<String, float[]> fisher,
            double lambda) {
        if (!(lambda > 0)) {
            throw new IllegalArgumentException("EWC needs a positive weight");
        }
        this.anchors = anchors;
        this.fisher = fisher;
        this.lambda = lambda;
    }

    @Override
    public void start(GraftModel model, NDManager run) {
        terms.clear();
        fisher.forEach((name, f) -> {
            var param = model.parameters().get(name);
            var w0 = anchors.get(name);
            if (param == null || w0 == null || param.getArray().size() != f.length) {
                return;
            }
            Shape shape = param.getArray().getShape();
            NDArray fa = run.create(f, shape).mul((float) (lambda / 2));
            terms.add(new NDArray[] {param.getArray(), EngineTensors.toNDArray(run, w0).reshape(shape), fa});
        });
    }

    @Override
    public NDArray loss(GraftModel model, NDArray x, NDArray logits) {
        NDArray total = null;
        for (NDArray[] t : terms) {
            NDArray term = t[0].sub(t[1]).square().mul(t[2]).sum();
            total = total == null ? term : total.add(term);
        }
        return total == null ? x.getManager().zeros(new Shape()) : total;
    }
}
