package dev.graft.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Map;
import java.util.Set;

/**
 * torchvision's {@code StochasticDepth(p, "row")}: in training each sample's input is dropped with
 * probability {@code p} and kept ones are scaled by {@code 1 / (1 - p)}; the identity in eval mode.
 * Placed last in a residual block's body it drops the whole branch per sample (EfficientNet's
 * {@code stochastic_depth}). No tensors.
 */
public record StochasticDepthLayer(String name, double p) implements LayerSpec {

    public static final LayerKind KIND = LayerKind.of("stochasticdepth", Set.of("p"), a -> {
        double p = a.number("p", 0.0);
        if (p < 0 || p >= 1) {
            throw a.error("p must be in [0, 1)");
        }
        return new StochasticDepthLayer(a.name(), p);
    }, new LayerKind.Example("{type: stochasticdepth, p: 0.25}", 2, 3, 3));

    public Map<String, Object> yaml() {
        return Yaml.args("p", p);
    }

    public String type() {
        return KIND.keyword();
    }

    public long[] infer(String path, long[] s, LayoutContext ctx) {
        return s;
    }

    /** Nothing: stochastic depth is the identity in inference. */
    @Override
    public String export(String path, ExportContext.Value in, ExportContext ctx) {
        return in.name();
    }

    public Block build(String path, BuildContext ctx) {
        return new StochasticDepthBlock(p);
    }

    /** {@code x * bernoulli(1 - p) / (1 - p)} per sample in training, {@code x} otherwise. */
    private static final class StochasticDepthBlock extends AbstractBlock {
        private final double p;

        StochasticDepthBlock(double p) {
            this.p = p;
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow();
            if (!training || p == 0) {
                return new NDList(x);
            }
            long[] row = new long[x.getShape().dimension()];
            java.util.Arrays.fill(row, 1);
            row[0] = x.getShape().get(0);
            NDArray keep = x.getManager().randomUniform(0, 1, new Shape(row)).lt(1 - p).toType(x.getDataType(), false);
            return new NDList(x.mul(keep.div(1 - p)));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputs) {
            return inputs;
        }
    }
}
