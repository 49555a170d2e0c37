package dev.graft.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One vector per sequence from token states {@code [L, H + 1]} (see {@link BertEmbeddingsLayer}):
 * {@code mean}, the average of the real tokens' hidden states (mask-weighted, as
 * sentence-transformers' mean pooling, the count clamped at 1e-9 so that an all-padding sequence
 * gives 0), or {@code cls}, the hidden state at position 0 ({@code [CLS]}). Output {@code [H]}; no
 * tensors. Each output unit is its input unit pooled over positions, so the unit flow passes on.
 */
public record TokenPoolLayer(String name, Mode mode) implements LayerSpec {

    /** How the tokens are pooled. */
    public enum Mode {
        MEAN, CLS;

        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final LayerKind KIND = LayerKind.of("token_pool", Set.of("mode"), a -> {
        String m = a.has("mode") ? a.text("mode").toLowerCase(Locale.ROOT) : "mean";
        return switch (m) {
            case "mean" -> new TokenPoolLayer(a.name(), Mode.MEAN);
            case "cls" -> new TokenPoolLayer(a.name(), Mode.CLS);
            default -> throw a.error("mode must be mean or cls, got '" + m + "'");
        };
    }, new LayerKind.Example("{type: token_pool, mode: cls}", 4, 5), new LayerKind.Example("{type: token_pool}", 3, 3));

    public Map<String, Object> yaml() {
        return Yaml.args("mode", mode.keyword());
    }

    public String type() {
        return KIND.keyword();
    }

    public long[] infer(String path, long[] s, LayoutContext ctx) {
        return new long[] {TokenStates.hidden(type(), path, s, ctx)};
    }

    /**
     * {@code cls}: {@code Gather} of position 0; {@code mean}: {@code ReduceSum} over the positions of
     * the masked states, {@code Div} by the count of real tokens {@code Clip}ped at 1e-9, as the
     * forward pass.
     */
    @Override
    public String export(String path, ExportContext.Value in, ExportContext ctx) {
        String states = TokenStates.states(path, in, ctx);
        if (mode == Mode.CLS) {
            return ctx.node(path, "Gather", java.util.List.of(states, ctx.intScalar(0)), ExportContext.Attribute.of("axis", 1));
        }
        String mask = TokenStates.mask(path, TokenStates.maskColumn(path, in, ctx), ctx);
        // opset 13+ ReduceSum takes its axes as an input
        ExportContext.Attribute drop = ExportContext.Attribute.of("keepdims", 0);
        String sum = ctx.node(path, "ReduceSum", java.util.List.of(ctx.node(path, "Mul", java.util.List.of(states, mask)),
                ctx.ints(1)), drop);
        String count = ctx.node(path, "Clip", java.util.List.of(ctx.node(path, "ReduceSum", java.util.List.of(mask,
                ctx.ints(1)), drop), ctx.scalar(1e-9), ctx.scalar(Float.MAX_VALUE)));
        return ctx.node(path, "Div", java.util.List.of(sum, count));
    }

    public Block build(String path, BuildContext ctx) {
        return new PoolBlock(mode);
    }

    private static final class PoolBlock extends AbstractBlock {
        private final Mode mode;

        PoolBlock(Mode mode) {
            this.mode = mode;
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow();
            NDArray states = TokenStates.states(x);
            if (mode == Mode.CLS) {
                return new NDList(states.get(new NDIndex(":, 0, :")));
            }
            NDArray mask = TokenStates.mask(x).expandDims(2);
            return new NDList(states.mul(mask).sum(new int[] {1}).div(mask.sum(new int[] {1}).clip(1e-9, Float.MAX_VALUE)));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputs) {
            return new Shape[] {new Shape(inputs[0].get(0), inputs[0].get(2) - 1)};
        }
    }
}
