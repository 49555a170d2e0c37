package dev.graft.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Map;
import java.util.Set;

/**
 * Hugging Face's {@code BertPooler}: {@code tanh(dense(h[0]))}, the hidden state at position 0
 * ({@code [CLS]}) of token states {@code [L, H + 1]} (see {@link BertEmbeddingsLayer}) through
 * {@code dense.weight [H, H]}, {@code dense.bias [H]}. Output {@code [H]}. {@code dense} is a unit
 * layer; only the element-wise tanh lies between it and what reads it.
 */
public record BertPoolerLayer(String name) implements LayerSpec {

    public static final LayerKind KIND = LayerKind.of("bert_pooler", Set.of(), a -> new BertPoolerLayer(a.name()),
            new LayerKind.Example("{type: bert_pooler}", 4, 5));

    public Map<String, Object> yaml() {
        return Map.of();
    }

    public String type() {
        return KIND.keyword();
    }

    /** True: the pooler is one layer group between the encoder and the classifier. */
    @Override
    public boolean layerGroup() {
        return true;
    }

    public long[] infer(String path, long[] s, LayoutContext ctx) {
        int h = TokenStates.hidden(type(), path, s, ctx);
        String dense = path + ".dense";
        ctx.param(dense, type(), ParamRole.WEIGHT, ParamInit.NORMAL_0_02, true, h, h, h);
        ctx.param(dense, type(), ParamRole.BIAS, ParamInit.ZEROS, false, h, h);
        ctx.produces(dense, h, false);
        return new long[] {h};
    }

    /** {@code Tanh(Gemm(states[:, 0], dense.weight, dense.bias, transB=1))}. */
    @Override
    public String export(String path, ExportContext.Value in, ExportContext ctx) {
        String dense = path + ".dense";
        String first = ctx.node(path, "Gather", java.util.List.of(TokenStates.states(path, in, ctx), ctx.intScalar(0)),
                ExportContext.Attribute.of("axis", 1));
        String y = ctx.node(dense, "Gemm", java.util.List.of(first, ctx.weight(dense + ".weight"),
                ctx.tensor(dense + ".bias")), ExportContext.Attribute.of("transB", 1));
        return ctx.node(path, "Tanh", java.util.List.of(y));
    }

    public Block build(String path, BuildContext ctx) {
        PoolerBlock b = new PoolerBlock();
        ctx.parameters(b, path, "weight", "dense.weight", "bias", "dense.bias");
        return b;
    }

    private static final class PoolerBlock extends AbstractBlock {
        private final Parameter weight = addParameter(TokenStates.weight("weight"));
        private final Parameter bias = addParameter(TokenStates.bias("bias"));

        @Override
        protected void prepare(Shape[] inputs) {
            long h = inputs[0].get(2) - 1;
            weight.setShape(new Shape(h, h));
            bias.setShape(new Shape(h));
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow();
            Device d = x.getDevice();
            NDArray first = TokenStates.states(x).get(new NDIndex(":, 0, :"));
            return new NDList(TokenStates.linear(first, store.getValue(weight, d, training),
                    store.getValue(bias, d, training)).tanh());
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputs) {
            return new Shape[] {new Shape(inputs[0].get(0), inputs[0].get(2) - 1)};
        }
    }
}
